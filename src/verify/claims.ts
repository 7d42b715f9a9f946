// How a spec's structure differs from the paper model it names: blocks, growth rate, stem,
// bottleneck, compression, classes and input. Read from the ModelSpec (what the user wrote),
// compared with paper.ts (what the paper says).
import type { ModelSpec, SpecLayer } from '../check/spec.js';
import type { PaperModel } from './paper.js';

export interface Difference {
  /** `blocks`, `k`, `stem`, `bottleneck`, `compression`, `classes`, `input`, `params`, `stage <name>`. */
  readonly what: string;
  readonly ours: string;
  readonly paper: string;
}

const list = (xs: readonly (number | undefined)[]): string => `[${xs.map((x) => x ?? 'none').join(', ')}]`;
const uniform = <T>(xs: readonly T[]): T | undefined => (xs.length > 0 && xs.every((x) => x === xs[0]) ? xs[0] : undefined);

/** The stem in words: `7x7/2 conv to 64, BN-ReLU, 3x3/2 max pool`. */
function stemWords(layers: readonly SpecLayer[]): string {
  const parts: string[] = [];
  for (const l of layers) {
    if (l.kind === 'conv') parts.push(`${l.kernel[0]}x${l.kernel[1]}/${l.stride[0]} conv to ${l.out}${l.bias ? ' with bias' : ''}`);
    else if (l.kind === 'bn') parts.push('BN');
    else if (l.kind === 'relu') parts.push('ReLU');
    else if (l.kind === 'maxpool' || l.kind === 'avgpool') parts.push(`${l.kernel[0]}x${l.kernel[1]}/${l.stride[0]} ${l.kind === 'maxpool' ? 'max' : 'average'} pool`);
    else if (l.kind === 'dropout') parts.push('dropout');
  }
  return parts.join(', ').replace('BN, ReLU', 'BN-ReLU');
}

function paperStemWords(m: PaperModel): string {
  const s = m.stem;
  return [`${s.kernel}x${s.kernel}/${s.stride} conv to ${s.channels}`, ...(s.bnRelu ? ['BN-ReLU'] : []), ...(s.maxpool ? ['3x3/2 max pool'] : [])].join(', ');
}

/** The structural differences between `spec` and the paper's `m` (empty when it is that model). */
export function structuralDifferences(spec: ModelSpec, m: PaperModel): Difference[] {
  const diffs: Difference[] = [];
  const add = (what: string, ours: string, paper: string): void => {
    if (ours !== paper) diffs.push({ what, ours, paper });
  };
  const layers = spec.layers;
  const blocks = layers.filter((l): l is Extract<SpecLayer, { kind: 'block' }> => l.kind === 'block');
  const transitions = layers.filter((l): l is Extract<SpecLayer, { kind: 'transition' }> => l.kind === 'transition');
  const firstDense = layers.findIndex((l) => l.kind === 'block' || l.kind === 'transition');
  const stem = firstDense >= 0 ? layers.slice(0, firstDense) : layers;
  const linears = layers.filter((l): l is Extract<SpecLayer, { kind: 'linear' }> => l.kind === 'linear');

  add('input', `${spec.input.channels}x${spec.input.height}x${spec.input.width}`, m.input.join('x'));
  add('stem', stemWords(stem), paperStemWords(m));
  add('blocks', list(blocks.map((b) => b.layers)), list(m.blocks));
  const growth = uniform(blocks.map((b) => b.growth));
  add('k', growth !== undefined ? String(growth) : list(blocks.map((b) => b.growth)), String(m.growth));
  const paperBottleneck = m.bottleneck ? 4 * m.growth : undefined;
  add('bottleneck', list(blocks.map((b) => b.bottleneck)), list(m.blocks.map(() => paperBottleneck)));
  const theta = uniform(transitions.map((t) => t.compression));
  add('compression', theta !== undefined ? String(theta) : list(transitions.map((t) => t.compression)), transitions.length === 0 && m.blocks.length <= 1 ? 'none' : String(m.compression));
  const classes = linears.length > 0 ? linears[linears.length - 1].out : undefined;
  if (classes === undefined || !m.classes.includes(classes)) add('classes', String(classes ?? 'none'), m.classes.join(' or '));
  return diffs;
}

export function describeDifferences(diffs: readonly Difference[]): string {
  return diffs.map((d) => `${d.what} ${d.ours} (paper: ${d.paper})`).join('; ');
}
