// The README's figures, generated: every deterministic table (the zoo's parameters and MACs, what
// the optimizer removes, the node counts of the files `compile` writes, the memory plans) is
// computed here by the code paths of `densec inspect --json` (ir/summary.ts), `compile` (the
// public compileAll, its file decoded back) and `plan --json` (plan/plan.ts choosePlan,
// plan/figures.ts), and written between `<!-- figures:NAME -->` and `<!-- /figures -->` in
// README.md. The timings come from `npm run bench`'s out/bench/bench.json, with their spread
// (p10 to p90) and the machine; without that file their block is left as it is.
// `npm run readme` rewrites README.md; test/repo/readme-figures.test.ts fails when it differs.
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/check/analyze.js';
import type { ModelSpec } from '../src/check/spec.js';
import { SourceFile } from '../src/diagnostics/source.js';
import { readModel } from '../src/emit/decode.js';
import { compileAll } from '../src/index.js';
import type { Graph } from '../src/ir/graph.js';
import { lower } from '../src/ir/lower.js';
import { summarize, summaryToJson } from '../src/ir/summary.js';
import { initWeights } from '../src/ir/weights.js';
import { optimize, type OptLevel } from '../src/passes/pipeline.js';
import { planFigures, type PlanFigures } from '../src/plan/figures.js';
import { choosePlan } from '../src/plan/plan.js';
import { opencvForm } from '../bench/report.js';

/** The zoo table's order: the ImageNet models, the CIFAR file, the variant. Every spec in specs/ must be here. */
export const zooOrder = ['densenet121', 'densenet169', 'densenet201', 'densenet264', 'densenet161', 'cifar', 'blog-variant'];
/** The models whose optimizer figures the README gives (the bench's models). */
const optimized = ['densenet121', 'densenet169'];
/** DenseNet-BC depths of the plan table (k = 12, batch 1). */
const bcDepths = [40, 100, 190, 250];

const n = (x: number): string => x.toLocaleString('en-US');
const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;

function reader(root: string) {
  return (p: string): string | undefined => {
    const file = path.resolve(root, p);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
}

/** The models of `specs/<name>.dense` (or of `text` under that name), analyzed. */
function specsOf(root: string, name: string, text?: string): ModelSpec[] {
  const file = `specs/${name}.dense`;
  const read = reader(root);
  const a = analyze(new SourceFile(file, text ?? read(file) ?? ''), read);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || a.models.length === 0) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ') || 'no model'}`);
  return a.models;
}

function lowered(spec: ModelSpec): Graph {
  const { graph } = lower(spec);
  if (!graph) throw new Error(`${spec.name} did not lower`);
  return graph;
}

/** What `densec plan --json` reports for the model at that level, batch 1 (seed 0 weights). */
export function planOf(spec: ModelSpec, level: OptLevel): PlanFigures & { peakWithCopiesBytes: number } {
  const g = lowered(spec);
  initWeights(g, { seed: 0 });
  const optimizedGraph = optimize(g, level).graph;
  const chosen = choosePlan(optimizedGraph, { batch: 1 });
  return { ...planFigures(optimizedGraph, chosen.plan), peakWithCopiesBytes: chosen.copies.arenaBytes };
}

function zoo(root: string): string {
  const present = fs.readdirSync(path.join(root, 'specs')).filter((f) => f.endsWith('.dense')).map((f) => f.slice(0, -'.dense'.length));
  const missing = present.filter((f) => !zooOrder.includes(f));
  if (missing.length > 0) throw new Error(`specs not in the README's zoo order (scripts/readme-figures.ts): ${missing.join(', ')}`);
  const lines = [row(['spec', 'model', 'learnable parameters', 'BN running stats', 'MACs']), '| --- | --- | ---: | ---: | ---: |'];
  for (const name of zooOrder) {
    for (const spec of specsOf(root, name)) {
      const s = summaryToJson(summarize(lowered(spec), { claim: spec.claim }));
      const model = !spec.claim ? spec.name : spec.claim.relation === 'is' ? spec.claim.paper : `like ${spec.claim.paper}`;
      lines.push(row([`${name}.dense`, model, n(s.params.learnable), n(s.params.bnRunningStats), n(s.macs)]));
    }
  }
  return lines.join('\n');
}

/** MACs and node counts at -O0 and -O2: of the IR, and of the file `compile` writes (decoded back). */
function optimizer(root: string): string {
  const read = reader(root);
  const lines = [
    row(['model', 'MACs -O0', 'MACs -O2', 'change', 'IR nodes -O0 / -O2', 'ONNX nodes in the file -O0 / -O2', '-O2 file']),
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const name of optimized) {
    const file = `specs/${name}.dense`;
    const at = (optLevel: OptLevel) => {
      const r = compileAll(read(file) ?? '', { fileName: file, readFile: read, optLevel });
      const m = r.models[0];
      if (!m) throw new Error(`${file} did not compile at -O${optLevel}`);
      return { macs: summarize(m.graph).total.macs, ir: m.graph.nodes.length, onnx: readModel(m.model, false).nodes.length, bytes: m.model.length };
    };
    const [o0, o2] = [at(0), at(2)];
    const change = `${(((o2.macs - o0.macs) / o0.macs) * 100).toFixed(1)}%`;
    lines.push(row([name, n(o0.macs), n(o2.macs), change, `${n(o0.ir)} / ${n(o2.ir)}`, `${n(o0.onnx)} / ${n(o2.onnx)}`, `${n(o2.bytes)} B`]));
  }
  return lines.join('\n');
}

function plan121(root: string): string {
  const spec = specsOf(root, 'densenet121')[0];
  const [o0, o2] = [planOf(spec, 0), planOf(spec, 2)];
  const b = (x: number): string => `${n(x)} B`;
  return [
    '| | -O0 | -O2 |',
    '| --- | ---: | ---: |',
    row(['peak of the arena', b(o0.peakBytes), b(o2.peakBytes)]),
    row(['lower bound (largest set of tensors live at one step)', `${b(o0.lowerBoundBytes)} (ratio ${o0.ratio.toFixed(3)})`, `${b(o2.lowerBoundBytes)} (ratio ${o2.ratio.toFixed(3)})`]),
    row(['naive (every tensor its own buffer)', b(o0.naiveBytes), b(o2.naiveBytes)]),
    row(['peak with copies (the same schedule, every concat copying)', b(o0.peakWithCopiesBytes), b(o2.peakWithCopiesBytes)]),
    row([
      'bytes copied by concatenations, planned / without elimination',
      `${n(o0.concatCopyBytes.planned)} / ${n(o0.concatCopyBytes.withoutElimination)}`,
      `${n(o2.concatCopyBytes.planned)} / ${n(o2.concatCopyBytes.withoutElimination)}`,
    ]),
  ].join('\n');
}

function planBc(root: string): string {
  const text = ['use "lib/cifar.dense"', ...bcDepths.map((d) => `model bc_${d} = densenet_bc(depth = ${d}, k = 12)`)].join('\n') + '\n';
  const specs = specsOf(root, 'readme-bc', text);
  const lines = [
    row(['L', 'peak -O0', 'peak with copies -O0', 'naive -O0', 'concat copies -O0 without elimination', 'peak -O2', 'naive -O2']),
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  specs.forEach((spec, i) => {
    const [o0, o2] = [planOf(spec, 0), planOf(spec, 2)];
    lines.push(row([bcDepths[i], n(o0.peakBytes), n(o0.peakWithCopiesBytes), n(o0.naiveBytes), n(o0.concatCopyBytes.withoutElimination), n(o2.peakBytes), n(o2.naiveBytes)]));
  });
  return lines.join('\n');
}

/** The deterministic blocks, by marker name. */
export function deterministicFigures(root: string): Map<string, string> {
  return new Map([
    ['zoo', zoo(root)],
    ['optimizer', optimizer(root)],
    ['plan-densenet121', plan121(root)],
    ['plan-bc', planBc(root)],
  ]);
}

interface BenchLatency {
  readonly name: string;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly runs: number;
}

interface BenchRatio {
  readonly of: string;
  readonly over: string;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

interface BenchCell {
  readonly runtime: string;
  readonly batch: number;
  readonly threads: number;
  readonly rows: readonly BenchLatency[];
  readonly ratios: readonly BenchRatio[];
}

interface BenchJson {
  readonly date: string;
  readonly machine?: { readonly cpu: string; readonly cores: number; readonly node: string };
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly models: readonly { readonly model: string; readonly cells: readonly BenchCell[] }[];
}

/**
 * The bench's matrix from a bench.json: each file's median with its p10 to p90 spread over the
 * rounds, each ratio round by round with its spread ("vs peer" = the peer's time over ours), and
 * where it ran.
 */
export function timings(bench: BenchJson): string {
  const spread = (l: BenchLatency | undefined) => (l ? `${l.median.toFixed(2)} ms (${l.p10.toFixed(2)} to ${l.p90.toFixed(2)})` : 'n/a');
  const ratio = (r: BenchRatio | undefined) => (r ? `${r.median.toFixed(3)}x (${r.p10.toFixed(3)} to ${r.p90.toFixed(3)})` : 'n/a');
  const lines = [
    row(['model', 'runtime', 'batch', 'threads', 'rounds', '-O0 (p10 to p90)', '-O2 (p10 to p90)', 'peer (p10 to p90)', '-O2 vs -O0', '-O2 vs peer', '`--target opencv` vs peer']),
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of bench.models) {
    for (const c of m.cells) {
      const by = (name: string) => c.rows.find((r) => r.name === name);
      const find = (of: string, over: string) => c.ratios.find((r) => r.of === of && r.over === over);
      const o0 = by('-O0');
      if (!o0) continue;
      lines.push(row([m.model, c.runtime === 'opencv' ? 'OpenCV DNN' : 'onnxruntime', c.batch, c.threads, o0.runs, spread(o0), spread(by('-O2')), spread(by('peer')), ratio(find('-O2', '-O0')), ratio(find('-O2', 'peer')), c.runtime === 'opencv' ? ratio(find(opencvForm, 'peer')) : '']));
    }
  }
  const where = bench.machine ? `${bench.machine.cpu}, ${bench.machine.cores} cores as Node counts them, Node ${bench.machine.node}` : 'machine not recorded';
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
  lines.push('', `From \`out/bench/bench.json\` of ${bench.date.slice(0, 10)}: ${where}; load average ${load(bench.loadBefore)} before, ${load(bench.loadAfter)} after.`);
  return lines.join('\n');
}

// A block: its opening marker, lines that hold no other marker, the closing marker.
const marker = (name: string) => new RegExp(`(<!-- figures:${name} -->\\n)((?:(?!<!-- )[\\s\\S])*?)(<!-- /figures -->)`);

/** The text between the markers of `name` (no trailing newline), or undefined when README has no such block. */
export function blockOf(readme: string, name: string): string | undefined {
  const m = marker(name).exec(readme);
  return m ? m[2].replace(/\n$/, '') : undefined;
}

/** README with each named block replaced; a name without markers is an error. */
export function replaceBlocks(readme: string, blocks: ReadonlyMap<string, string>): string {
  let out = readme;
  for (const [name, text] of blocks) {
    if (blockOf(out, name) === undefined) throw new Error(`README.md has no <!-- figures:${name} --> block`);
    out = out.replace(marker(name), (_all, open: string, _old: string, close: string) => `${open}${text}\n${close}`);
  }
  return out;
}

/** Every block the script writes: the deterministic ones, and the timings when bench.json is there. */
export function allFigures(root: string): Map<string, string> {
  const blocks = deterministicFigures(root);
  const bench = path.join(root, 'out/bench/bench.json');
  if (fs.existsSync(bench)) blocks.set('timings', timings(JSON.parse(fs.readFileSync(bench, 'utf8')) as BenchJson));
  return blocks;
}
