// The bench's Markdown report, from its JSON.
import type { GraphFigures } from '../src/passes/pipeline.js';
import type { PhaseTimes } from './compile.js';
import type { Cell, Ratio } from './matrix.js';
import type { Memory } from './memory.js';
import type { Profile } from './profile.js';
import { median } from '../src/runtime/stats.js';

export interface MemoryRow extends Memory {
  readonly variant: string;
  readonly batch: number;
  /** densec's own plan of the same graph (src/plan), for densec's files. */
  readonly planPeakBytes?: number;
  readonly planLowerBoundBytes?: number;
}

export interface ModelReport {
  readonly model: string;
  readonly input: readonly number[];
  readonly compile: readonly { variant: string; times: PhaseTimes; figures: GraphFigures; bytes: number; file: string }[];
  /**
   * `densec compile` as a whole process (seconds per round) and, in the same rounds,
   * torch.onnx.export's call alone in a fresh Python process (or why it was not measured).
   */
  readonly process: { readonly seconds: readonly number[]; readonly torchExportSeconds?: readonly number[]; readonly torchSkipped?: string };
  readonly log: readonly { name: string; changed: boolean; before: GraphFigures; after: GraphFigures }[];
  readonly maxDifference: number;
  readonly cells: readonly Cell[];
  readonly memory: readonly MemoryRow[];
  readonly profiles: readonly { variant: string; batch: number; profile: Profile }[];
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
  readonly notes: readonly string[];
  readonly models: ModelReport[];
  seconds: number;
}

/** Issue 15's targets for -O2 against the peer: onnxruntime 1.15x, OpenCV 1.05x. */
export const targets: Record<Cell['runtime'], number> = { onnxruntime: 1.15, opencv: 1.05 };

const int = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => n.toFixed(2);
const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;
const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');
const ratio = (r: Ratio | undefined): string => (r ? `${r.median.toFixed(3)} (${r.p10.toFixed(3)}-${r.p90.toFixed(3)})` : '');

function compileSection(m: ModelReport): string[] {
  const lines = ['In-process compile time (ms of wall time, median of the repeats; CPU = user + system time of the whole compilation):', ''];
  lines.push(row(['variant', 'parse', 'lower', 'weights', 'passes', 'emit', 'write', 'total', 'CPU', 'nodes', 'MACs', 'learnable', 'ONNX bytes']));
  lines.push(row(Array(13).fill('---')));
  for (const c of m.compile) {
    const t = c.times;
    const total = t.parse + t.lower + t.weights + t.passes + t.emit + t.write;
    lines.push(row([c.variant, ms(t.parse), ms(t.lower), ms(t.weights), ms(t.passes), ms(t.emit), ms(t.write), ms(total), ms(t.cpu), c.figures.nodes, int(c.figures.macs), int(c.figures.learnable), int(c.bytes)]));
  }
  const p = m.process;
  if (p.seconds.length > 0) {
    const secs = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(', ');
    const whole = `\`densec compile specs/${m.model}.dense\` as a whole process: median ${median(p.seconds).toFixed(3)} s of ${secs(p.seconds)}`;
    const torch = p.torchExportSeconds;
    if (torch && torch.length === p.seconds.length) {
      const ratios = torch.map((t, r) => t / p.seconds[r]);
      lines.push('', `${whole}; torch.onnx.export of torchvision's ${m.model} in the same rounds (the call alone, a fresh Python process each) median ${median(torch).toFixed(2)} s of ${secs(torch)}: ${median(ratios).toFixed(1)}x round by round (lowest ${Math.min(...ratios).toFixed(1)}x, highest ${Math.max(...ratios).toFixed(1)}x; target 8x).`);
    } else lines.push('', `${whole}${p.torchSkipped ? ` (torch.onnx.export not measured: ${p.torchSkipped})` : ''}.`);
  }
  return lines;
}

/** The name of the `--target opencv` form in the bench's files. */
export const opencvForm = '-O2 --target opencv';

/** The name of the `--concat none` form (the least activation memory in onnxruntime). */
export const leastMemoryForm = '-O2 --concat none';

function matrixSection(m: ModelReport): string[] {
  const lines = ['', 'The matrix (ms, median of alternating rounds; ratios round by round, median (p10-p90); "vs peer" = peer time / ours):', ''];
  lines.push(row(['runtime', 'batch', 'threads', 'rounds', '-O0', '-O2', 'peer', '-O2 vs -O0', '-O2 vs peer', '-O0 vs peer', 'target form vs peer']));
  lines.push(row(Array(11).fill('---')));
  for (const c of m.cells) {
    const t = (name: string): string => {
      const r = c.rows.find((x) => x.name === name);
      return r ? ms(r.median) : '';
    };
    const find = (of: string, over: string): Ratio | undefined => c.ratios.find((r) => r.of === of && r.over === over);
    // The target is judged on the form `--target <runtime>` writes: -O2's own for onnxruntime.
    const vsPeer = find(c.runtime === 'opencv' ? opencvForm : '-O2', 'peer');
    const target = vsPeer ? `${vsPeer.median.toFixed(3)}: ${vsPeer.median >= targets[c.runtime] ? 'met' : 'not met'} (${targets[c.runtime]})` : '';
    lines.push(row([c.runtime, c.batch, c.threads, c.rows[0]?.runs ?? 0, t('-O0'), t('-O2'), t('peer'), ratio(find('-O2', '-O0')), ratio(find('-O2', 'peer')), ratio(find('-O0', 'peer')), target]));
    for (const r of c.rows.filter((x) => !['-O0', '-O2', 'peer'].includes(x.name))) {
      const vs = find(r.name, 'peer');
      lines.push(row([c.runtime, c.batch, c.threads, r.runs, '', '', '', `${r.name}: ${ms(r.median)} ms`, vs ? `${r.name}: ${ratio(vs)}` : '', '', '']));
    }
  }
  return lines;
}

function memorySection(m: ModelReport): string[] {
  if (m.memory.length === 0) return [];
  const lines = ['', "Activation memory (bytes): onnxruntime's own peaks (1 thread, from its profile) beside densec's plan of the same graph:", ''];
  lines.push(row(['variant', 'batch', 'onnxruntime arena peak', 'onnxruntime requested peak', 'onnxruntime in-use peak', 'densec plan peak', 'plan lower bound']), row(Array(7).fill('---')));
  for (const r of m.memory) lines.push(row([r.variant, r.batch, int(r.arenaPeakBytes), int(r.requestedPeakBytes), int(r.inUsePeakBytes), r.planPeakBytes !== undefined ? int(r.planPeakBytes) : '', r.planLowerBoundBytes !== undefined ? int(r.planLowerBoundBytes) : '']));
  return lines;
}

function profileSection(m: ModelReport): string[] {
  if (m.profiles.length === 0) return [];
  const kinds = [...new Set(m.profiles.flatMap((p) => p.profile.ops.map((o) => o.kind)))];
  const heads = m.profiles.map((p) => `${p.variant} b${p.batch}`);
  const lines = ['', "onnxruntime's per-op breakdown (1 thread, ms per run, share of the kernels' time):", ''];
  lines.push(row(['kind', ...heads]), row(Array(heads.length + 1).fill('---')));
  const total = (p: Profile): number => p.total || 1;
  for (const k of kinds) {
    lines.push(row([k, ...m.profiles.map(({ profile: p }) => {
      const o = p.ops.find((x) => x.kind === k);
      return o ? `${ms(o.ms)} (${((100 * o.ms) / total(p)).toFixed(1)}%)` : '';
    })]));
  }
  lines.push(row(['total', ...m.profiles.map((p) => ms(p.profile.total))]));
  return lines;
}

/** The reference executor beside onnxruntime at 1 thread, batch 1; GMAC/s = the -O2 graph's MACs / median. */
function executorSection(m: ModelReport): string[] {
  const ex = m.executor;
  if (!ex) return [];
  const cell = m.cells.find((c) => c.runtime === 'onnxruntime' && c.batch === 1 && c.threads === 1);
  const o2 = cell?.rows.find((r) => r.name === '-O2');
  const lines = ['', `Reference executor (src/runtime/ref, planned arena, 1 thread) on the -O2 graph, ${ex.times.length} run(s): ${ex.times.map(ms).join(', ')} ms, ${gmacs(ex.macs, ex.median)} GMAC/s; largest |executor - onnxruntime| ${ex.maxDifference.toExponential(2)}.`];
  if (o2) lines.push(`onnxruntime on the same graph: ${ms(o2.median)} ms, ${gmacs(ex.macs, o2.median)} GMAC/s.`);
  return lines;
}

const gmacs = (macs: number, millis: number): string => (macs / millis / 1e6).toFixed(2);

function modelSection(m: ModelReport): string[] {
  const lines = [`## ${m.model} (input ${m.input.join('x')})`, '', ...compileSection(m), '', '-O2 passes:', ''];
  lines.push(row(['pass', 'changed', 'nodes', 'MACs', 'learnable']), row(Array(5).fill('---')));
  for (const r of m.log) {
    lines.push(row([r.name, r.changed ? 'yes' : 'no', `${r.before.nodes} -> ${r.after.nodes}`, `${int(r.before.macs)} -> ${int(r.after.macs)}`, `${int(r.before.learnable)} -> ${int(r.after.learnable)}`]));
  }
  lines.push('', `Largest |-O0 - -O2| of the output on the bench input: ${m.maxDifference.toExponential(2)}`);
  return [...lines, ...matrixSection(m), ...memorySection(m), ...profileSection(m), ...executorSection(m), ''];
}

export function renderReport(r: Report): string {
  const head = [
    '# densec bench',
    '',
    `${r.date}; ${r.seconds.toFixed(0)} s; load average (1, 5, 15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after.`,
    '',
    ...r.notes.map((n) => `- ${n}`),
    ...(r.notes.length > 0 ? [''] : []),
  ];
  return [...head, ...r.models.flatMap(modelSection)].join('\n');
}
