// The bench's Markdown report, from its JSON.
import type { GraphFigures } from '../src/passes/pipeline.js';
import type { PhaseTimes } from './compile.js';
import type { Latency } from './latency.js';
import type { Memory } from './memory.js';

export interface ModelReport {
  readonly model: string;
  readonly input: readonly number[];
  readonly compile: readonly { variant: string; times: PhaseTimes; figures: GraphFigures; bytes: number; file: string }[];
  readonly log: readonly { name: string; changed: boolean; before: GraphFigures; after: GraphFigures }[];
  readonly maxDifference: number;
  /** By thread count. */
  readonly latency: Record<number, Latency[]>;
  readonly memory: Record<string, Memory>;
  /** The reference executor on the -O2 graph (1 thread), when it ran. */
  readonly executor?: ExecutorReport;
}

export interface ExecutorReport {
  readonly times: readonly number[];
  readonly median: number;
  /** MACs of the -O2 graph. */
  readonly macs: number;
  /** Largest |executor - onnxruntime| of the -O2 output on the bench input. */
  readonly maxDifference: number;
}

export interface Report {
  readonly date: string;
  /** Where it ran: the CPU model, its cores (as Node counts them), Node's version. */
  readonly machine?: { readonly cpu: string; readonly cores: number; readonly node: string };
  readonly loadBefore: readonly number[];
  loadAfter: readonly number[];
  readonly args: object;
  readonly models: ModelReport[];
}

const int = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => n.toFixed(2);
const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;
const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');

function modelSection(m: ModelReport): string[] {
  const lines = [`## ${m.model} (input ${m.input.join('x')})`, ''];
  lines.push('Compile time (ms, median of the repeats; lower includes seeded weights):', '');
  lines.push(row(['variant', 'parse', 'lower', 'passes', 'emit', 'write', 'nodes', 'MACs', 'learnable', 'ONNX bytes']));
  lines.push(row(Array(10).fill('---')));
  for (const c of m.compile) {
    const t = c.times;
    lines.push(row([c.variant, ms(t.parse), ms(t.lower), ms(t.passes), ms(t.emit), ms(t.write), c.figures.nodes, int(c.figures.macs), int(c.figures.learnable), int(c.bytes)]));
  }
  lines.push('', '-O2 passes:', '');
  lines.push(row(['pass', 'changed', 'nodes', 'MACs', 'learnable']), row(Array(5).fill('---')));
  for (const r of m.log) {
    lines.push(row([r.name, r.changed ? 'yes' : 'no', `${r.before.nodes} -> ${r.after.nodes}`, `${int(r.before.macs)} -> ${int(r.after.macs)}`, `${int(r.before.learnable)} -> ${int(r.after.learnable)}`]));
  }
  lines.push('', `Largest |-O0 - -O2| of the output on the bench input: ${m.maxDifference.toExponential(2)}`, '');
  lines.push('onnxruntime CPU latency (ms; batch 1; alternating runs):', '');
  lines.push(row(['threads', 'variant', 'median', 'p10', 'p90', 'runs', 'speedup vs -O0', 'vs -O2']), row(Array(8).fill('---')));
  for (const [threads, ls] of Object.entries(m.latency)) {
    const o0 = ls.find((l) => l.name === '-O0')!.median;
    const o2 = ls.find((l) => l.name === '-O2')!.median;
    for (const l of ls) lines.push(row([threads, l.name, ms(l.median), ms(l.p10), ms(l.p90), l.runs, (o0 / l.median).toFixed(3), (o2 / l.median).toFixed(3)]));
  }
  lines.push(...executorSection(m));
  const mem = Object.entries(m.memory);
  if (mem.length > 0) {
    lines.push('', "onnxruntime's activation memory (1 thread, from its profile; bytes):", '');
    lines.push(row(['variant', 'arena peak', 'requested peak']), row(Array(3).fill('---')));
    for (const [name, mm] of mem) lines.push(row([name, int(mm.arenaPeakBytes), int(mm.requestedPeakBytes)]));
  }
  return [...lines, ''];
}

/** The reference executor beside onnxruntime at 1 thread; GMAC/s = each graph's own MACs / median. */
function executorSection(m: ModelReport): string[] {
  const ex = m.executor;
  const oneThread = m.latency[1];
  if (!ex) return [];
  const macsOf = (variant: string): number => m.compile.find((c) => c.variant === variant)?.figures.macs ?? ex.macs;
  const lines = ['', `Reference executor (src/runtime/ref, planned arena, 1 thread) on the -O2 graph, ${ex.times.length} run(s): ${ex.times.map(ms).join(', ')} ms; largest |executor - onnxruntime| ${ex.maxDifference.toExponential(2)}.`, ''];
  lines.push(row(['runtime (1 thread)', 'variant', 'median ms', 'GMAC/s']), row(Array(4).fill('---')));
  lines.push(row(['reference executor', '-O2', ms(ex.median), gmacs(ex.macs, ex.median)]));
  for (const l of oneThread ?? []) lines.push(row(['onnxruntime', l.name, ms(l.median), gmacs(macsOf(l.name), l.median)]));
  return lines;
}

const gmacs = (macs: number, millis: number): string => (macs / millis / 1e6).toFixed(2);

export function renderReport(r: Report): string {
  const head = [
    '# densec bench',
    '',
    `${r.date}; load average (1, 5, 15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after (2 cores, shared).`,
    '',
  ];
  return [...head, ...r.models.flatMap(modelSection)].join('\n');
}
