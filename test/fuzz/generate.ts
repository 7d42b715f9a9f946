// A generator of valid .dense specs over the whole language, for differential testing. Each
// sample is the spec text (with a library file when it `use`s one) and the structure the text
// means, written down by the generator itself: the torch harness (torch_harness.py) builds its
// module from that structure, never from densec's IR or ONNX, so it is an independent oracle.
//
// Covered: `model m { ... }`, families with defaults (positional and named arguments), `use`,
// `const`, `let`, `dense layers` with per-block growth/bottleneck/dropout lists and per-transition
// compression (awkward decimals, quotients such as 1 / 3, products), `dense depth L blocks N`,
// `block` and `transition` statements, blocks with and without bottlenecks, stems of other kernels,
// strides, pads and biases, a second stem conv, loose `bn relu` between dense blocks (they join the
// stage before them), max and average pools, odd input sizes, any class count.
import fc from 'fast-check';

/** A rational as "num/den" in lowest terms (Python's fractions.Fraction reads it). */
export type Ratio = string;

export type Layer =
  | { kind: 'conv'; kernel: [number, number]; stride: [number, number]; pad: [number, number]; out: number; bias: boolean }
  | { kind: 'bn' | 'relu' | 'softmax' | 'globalpool' }
  | { kind: 'maxpool' | 'avgpool'; kernel: [number, number]; stride: [number, number]; pad: [number, number] }
  | { kind: 'dropout'; rate: Ratio }
  | { kind: 'linear'; out: number }
  | { kind: 'block'; layers: number; growth: number; bottleneck: number | null; dropout: Ratio }
  | { kind: 'transition'; theta: Ratio; dropout: Ratio };

export interface Structure {
  name: string;
  input: [number, number, number];
  layers: Layer[];
}

export interface Sample {
  /** The spec's text, as `gen.dense`. */
  text: string;
  /** Files it `use`s, by path relative to it. */
  files: Record<string, string>;
  structure: Structure;
}

// --- raw choices (what fast-check shrinks) ----------------------------------------------------

/** A compression, with the text that writes it and its exact value. */
interface Theta {
  text: string;
  num: number;
  den: number;
}
const thetas: Theta[] = [
  { text: '0.5', num: 1, den: 2 },
  { text: '1', num: 1, den: 1 },
  { text: '0.29', num: 29, den: 100 },
  { text: '0.57', num: 57, den: 100 },
  { text: '0.7', num: 7, den: 10 },
  { text: '0.1', num: 1, den: 10 },
  { text: '0.3', num: 3, den: 10 },
  { text: '0.33', num: 33, den: 100 },
  { text: '0.15', num: 3, den: 20 },
  { text: '0.99', num: 99, den: 100 },
  { text: '0.123', num: 123, den: 1000 },
  { text: '0.58', num: 29, den: 50 },
  { text: '1 / 3', num: 1, den: 3 },
  { text: '2 / 3', num: 2, den: 3 },
  { text: '0.5 * 0.58', num: 29, den: 100 },
  { text: '0.1 + 0.2', num: 3, den: 10 },
  { text: '0.70', num: 7, den: 10 },
];
const dropouts: Theta[] = [
  { text: '0', num: 0, den: 1 },
  { text: '0.2', num: 1, den: 5 },
  { text: '0.1', num: 1, den: 10 },
];

interface RawStem {
  kernel: [number, number];
  stride: number;
  pad: number | null; // null: the default floor(k / 2)
  out: number;
  bias: boolean;
  bnRelu: boolean;
  pool: null | { kind: 'maxpool' | 'avgpool'; kernel: number; stride: number | null; pad: number };
  /** A second conv (3x3, pad 1) after the pool, with or without its BatchNorm. */
  second: null | { out: number; bn: boolean };
}

/** One dense statement or block/transition statements. */
type RawGroup =
  | { form: 'layers'; layers: number[]; growth: number[]; perBlockGrowth: boolean; bottleneck: number | null; bottleneckTimesK: boolean; theta: number[]; perTransition: boolean; dropout: number[] }
  | { form: 'depth'; blocks: number; per: number; growth: number; bottleneck: number | null; theta: number }
  | { form: 'blocks'; blocks: { layers: number; growth: number; bottleneck: number | null; dropout: number; transition: null | { theta: number; dropout: number } }[] };

interface Raw {
  channels: number;
  size: number;
  stem: RawStem;
  groups: RawGroup[];
  /** Per group: loose `bn` and `relu` after it (they join the stage before them). */
  loose: boolean[];
  head: { bnRelu: boolean; dropout: number; classes: number; softmax: boolean };
  style: 'body' | 'family' | 'use';
  named: boolean;
}

const small = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const thetaIx = small(0, thetas.length - 1);
const dropIx = small(0, dropouts.length - 1);

const stem: fc.Arbitrary<RawStem> = fc.record({
  kernel: fc.oneof(fc.constantFrom(1, 3, 5, 7).map((k): [number, number] => [k, k]), fc.tuple(fc.constantFrom(1, 3), fc.constantFrom(3, 5))),
  stride: small(1, 2),
  pad: fc.option(small(0, 3), { nil: null }),
  out: small(2, 16),
  bias: fc.boolean(),
  bnRelu: fc.boolean(),
  pool: fc.option(fc.record({ kind: fc.constantFrom('maxpool' as const, 'avgpool' as const), kernel: small(2, 3), stride: fc.option(small(1, 2), { nil: null }), pad: small(0, 1) }), { nil: null }),
  second: fc.option(fc.record({ out: small(2, 12), bn: fc.boolean() }), { nil: null, freq: 4 }),
});

const group: fc.Arbitrary<RawGroup> = fc.oneof(
  small(1, 3).chain((n) =>
    fc.record({
      form: fc.constant('layers' as const),
      layers: fc.array(small(1, 3), { minLength: n, maxLength: n }),
      growth: fc.array(small(1, 8), { minLength: n, maxLength: n }),
      perBlockGrowth: fc.boolean(),
      bottleneck: fc.option(small(2, 16), { nil: null }),
      bottleneckTimesK: fc.boolean(),
      theta: fc.array(thetaIx, { minLength: n - 1, maxLength: n - 1 }),
      perTransition: fc.boolean(),
      dropout: fc.array(dropIx, { minLength: n, maxLength: n }),
    }),
  ),
  fc.record({ form: fc.constant('depth' as const), blocks: small(1, 3), per: small(1, 2), growth: small(1, 6), bottleneck: fc.option(small(2, 12), { nil: null }), theta: thetaIx }),
  fc.record({
    form: fc.constant('blocks' as const),
    blocks: fc.array(
      fc.record({
        layers: small(1, 3),
        growth: small(1, 8),
        bottleneck: fc.option(small(2, 16), { nil: null }),
        dropout: dropIx,
        transition: fc.option(fc.record({ theta: thetaIx, dropout: dropIx }), { nil: null }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

export const rawSpec: fc.Arbitrary<Raw> = fc.record({
  channels: small(1, 4),
  size: fc.constantFrom(16, 17, 19, 23, 24, 29, 31, 32, 33, 37, 41, 45, 48, 53, 57, 65, 97),
  stem,
  groups: fc.array(group, { minLength: 1, maxLength: 2 }),
  loose: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  head: fc.record({ bnRelu: fc.boolean(), dropout: dropIx, classes: fc.oneof({ weight: 4, arbitrary: small(1, 12) }, { weight: 1, arbitrary: fc.constantFrom(100, 1000) }), softmax: fc.boolean() }),
  style: fc.constantFrom('body' as const, 'family' as const, 'use' as const),
  named: fc.boolean(),
});

// --- meaning: the structure, and whether every size stays positive ----------------------------

const ratio = (num: number, den: number): Ratio => {
  const g = (a: number, b: number): number => (b === 0 ? a : g(b, a % b));
  const d = g(num, den) || 1;
  return `${num / d}/${den / d}`;
};
const window = (n: number, k: number, s: number, p: number) => Math.floor((n + 2 * p - k) / s) + 1;

function stemLayers(s: RawStem): Layer[] {
  const pad = (k: number) => Math.min(s.pad ?? Math.floor(k / 2), Math.floor(k / 2));
  const out: Layer[] = [{ kind: 'conv', kernel: s.kernel, stride: [s.stride, s.stride], pad: [pad(s.kernel[0]), pad(s.kernel[1])], out: s.out, bias: s.bias }];
  if (s.bnRelu) out.push({ kind: 'bn' }, { kind: 'relu' });
  if (s.pool) {
    const p = s.pool;
    const stride = p.stride ?? p.kernel;
    const padding = Math.min(p.pad, Math.floor(p.kernel / 2));
    out.push({ kind: p.kind, kernel: [p.kernel, p.kernel], stride: [stride, stride], pad: [padding, padding] });
  }
  if (s.second) {
    out.push({ kind: 'conv', kernel: [3, 3], stride: [1, 1], pad: [1, 1], out: s.second.out, bias: false });
    if (s.second.bn) out.push({ kind: 'bn' });
  }
  return out;
}

function groupLayers(g: RawGroup): Layer[] {
  const out: Layer[] = [];
  const th = (i: number) => ratio(thetas[i].num, thetas[i].den);
  const dr = (i: number) => ratio(dropouts[i].num, dropouts[i].den);
  if (g.form === 'layers') {
    g.layers.forEach((n, b) => {
      const growth = g.perBlockGrowth ? g.growth[b] : g.growth[0];
      const bottleneck = g.bottleneck === null ? null : g.bottleneckTimesK ? 4 * growth : g.bottleneck;
      out.push({ kind: 'block', layers: n, growth, bottleneck, dropout: dr(g.dropout[b]) });
      if (b < g.layers.length - 1) out.push({ kind: 'transition', theta: th(g.perTransition ? g.theta[b] : g.theta[0]), dropout: dr(g.dropout[b]) });
    });
  } else if (g.form === 'depth') {
    for (let b = 0; b < g.blocks; b++) {
      out.push({ kind: 'block', layers: g.per, growth: g.growth, bottleneck: g.bottleneck, dropout: '0/1' });
      if (b < g.blocks - 1) out.push({ kind: 'transition', theta: th(g.theta), dropout: '0/1' });
    }
  } else {
    for (const b of g.blocks) {
      out.push({ kind: 'block', layers: b.layers, growth: b.growth, bottleneck: b.bottleneck, dropout: dr(b.dropout) });
      if (b.transition) out.push({ kind: 'transition', theta: th(b.transition.theta), dropout: dr(b.transition.dropout) });
    }
  }
  return out;
}

export function structureOf(r: Raw): Structure {
  const layers = [...stemLayers(r.stem), ...r.groups.flatMap((g, i): Layer[] => [...groupLayers(g), ...(r.loose[i] ? [{ kind: 'bn' as const }, { kind: 'relu' as const }] : [])])];
  if (r.head.bnRelu) layers.push({ kind: 'bn' }, { kind: 'relu' });
  layers.push({ kind: 'globalpool' });
  if (r.head.dropout > 0) layers.push({ kind: 'dropout', rate: ratio(dropouts[r.head.dropout].num, dropouts[r.head.dropout].den) });
  layers.push({ kind: 'linear', out: r.head.classes });
  if (r.head.softmax) layers.push({ kind: 'softmax' });
  return { name: 'gen', input: [r.channels, r.size, r.size], layers };
}

/** Every spatial size and channel count stays at least 1 (else densec rightly refuses it). */
export function fits(s: Structure): boolean {
  let [c, h, w] = s.input;
  for (const l of s.layers) {
    if (l.kind === 'conv' || l.kind === 'maxpool' || l.kind === 'avgpool') {
      h = window(h, l.kernel[0], l.stride[0], l.pad[0]);
      w = window(w, l.kernel[1], l.stride[1], l.pad[1]);
      if (l.kind === 'conv') c = l.out;
    } else if (l.kind === 'block') c += l.layers * l.growth;
    else if (l.kind === 'transition') {
      const [num, den] = l.theta.split('/').map(Number);
      c = Math.floor((num * c) / den);
      [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    }
    if (c < 1 || h < 1 || w < 1) return false;
  }
  return true;
}

// --- text -------------------------------------------------------------------------------------

const list = (xs: readonly (string | number)[]) => `[${xs.join(', ')}]`;

function stemText(s: RawStem): string[] {
  const [kh, kw] = s.kernel;
  const pad = s.pad === null ? '' : ` pad ${kh === kw ? Math.min(s.pad, Math.floor(kh / 2)) : list([Math.min(s.pad, Math.floor(kh / 2)), Math.min(s.pad, Math.floor(kw / 2))])}`;
  const lines = [`conv ${kh}x${kw}${s.stride !== 1 ? ` stride ${s.stride}` : ''}${pad} out ${s.out}${s.bias ? ' bias' : ''}`];
  if (s.bnRelu) lines.push('bn', 'relu');
  if (s.pool) {
    const p = s.pool;
    lines.push(`${p.kind} ${p.kernel}x${p.kernel}${p.stride !== null ? ` stride ${p.stride}` : ''}${p.pad > 0 ? ` pad ${Math.min(p.pad, Math.floor(p.kernel / 2))}` : ''}`);
  }
  if (s.second) lines.push(`conv 3x3 out ${s.second.out}`, ...(s.second.bn ? ['bn'] : []));
  return lines;
}

/** `k` stands for the first group's growth where the style binds it. */
function groupText(g: RawGroup, k: string | undefined): string[] {
  const th = (i: number) => thetas[i].text;
  const dr = (i: number) => dropouts[i].text;
  if (g.form === 'layers') {
    const growth = g.perBlockGrowth ? list(g.growth) : (k ?? String(g.growth[0]));
    let clauses = `dense layers ${list(g.layers)} growth ${growth}`;
    if (g.bottleneck !== null) {
      if (g.bottleneckTimesK) clauses += ` bottleneck ${g.perBlockGrowth ? list(g.growth.map((x) => 4 * x)) : `4 * ${k ?? g.growth[0]}`}`;
      else clauses += ` bottleneck ${g.bottleneck}`;
    }
    if (g.layers.length > 1) clauses += ` compression ${g.perTransition ? list(g.theta.map(th)) : th(g.theta[0])}`;
    if (g.dropout.some((d) => d > 0)) clauses += ` dropout ${list(g.dropout.map(dr))}`;
    return [clauses];
  }
  if (g.form === 'depth') {
    const convs = g.bottleneck === null ? 1 : 2;
    const depth = g.blocks * convs * g.per + g.blocks + 1;
    const b = g.bottleneck === null ? '' : ` bottleneck ${g.bottleneck}`;
    return [`dense depth ${depth} blocks ${g.blocks} growth ${g.growth}${b}${g.blocks > 1 ? ` compression ${th(g.theta)}` : ''}`];
  }
  return g.blocks.flatMap((b) => {
    const lines = [`block ${b.layers} growth ${b.growth}${b.bottleneck !== null ? ` bottleneck ${b.bottleneck}` : ''}${b.dropout > 0 ? ` dropout ${dr(b.dropout)}` : ''}`];
    if (b.transition) {
      const t = b.transition;
      lines.push(`transition compression ${th(t.theta)}${t.dropout > 0 ? ` dropout ${dr(t.dropout)}` : ''}`);
    }
    return lines;
  });
}

function headText(h: Raw['head'], classes: string): string[] {
  const lines = h.bnRelu ? ['bn', 'relu'] : [];
  lines.push('avgpool global');
  if (h.dropout > 0) lines.push(`dropout ${dropouts[h.dropout].text}`);
  lines.push(`linear ${classes}`);
  if (h.softmax) lines.push('softmax');
  return lines;
}

/** The growth a style can bind to a name: the first group's, when it writes one growth. */
function sharedGrowth(g: RawGroup): number | undefined {
  return g.form === 'layers' && !g.perBlockGrowth ? g.growth[0] : undefined;
}

export function render(r: Raw): Sample {
  const structure = structureOf(r);
  const k0 = sharedGrowth(r.groups[0]);
  const body = (k: string | undefined, classes: string, size: string) => [
    `input ${r.channels} x ${size} x ${size}`,
    ...stemText(r.stem),
    ...r.groups.flatMap((g, i) => [...groupText(g, i === 0 ? k : undefined), ...(r.loose[i] ? ['bn', 'relu'] : [])]),
    ...headText(r.head, classes),
  ];
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`).join('\n');
  if (r.style === 'body') {
    // `let` comes after `input`, which must be the first statement.
    const [input, ...rest] = body(k0 !== undefined ? 'k' : undefined, String(r.head.classes), String(r.size));
    const lets = k0 !== undefined ? [`let k = ${k0}`] : [];
    const text = `# generated\nmodel gen {\n${indent([input, ...lets, ...rest])}\n}\n`;
    return { text, files: {}, structure };
  }
  // A family: growth, classes and size are parameters; classes and size have defaults, which the
  // model call overrides or keeps.
  const params = [...(k0 !== undefined ? ['k'] : []), `classes = ${r.head.classes}`, `size = ${r.size}`];
  const family = `family net(${params.join(', ')}) {\n${indent(body(k0 !== undefined ? 'k' : undefined, 'classes', 'size'))}\n}\n`;
  const args = k0 === undefined ? [] : r.named ? [`k = ${k0}`] : [String(k0)];
  const call = `model gen = net(${args.join(', ')})\n`;
  if (r.style === 'family') return { text: `${family}\n${call}`, files: {}, structure };
  return { text: `use "lib/gen-lib.dense"\n\n${call}`, files: { 'lib/gen-lib.dense': family }, structure };
}

/** Specs whose sizes or channels fall below 1 somewhere: densec must refuse them with a diagnostic. */
export const unfitSpec: fc.Arbitrary<Sample> = rawSpec.map(render).filter((s) => !fits(s.structure));

/** Valid specs: text, library files and their structure. */
export const validSpec: fc.Arbitrary<Sample> = rawSpec.map(render).filter((s) => fits(s.structure));
