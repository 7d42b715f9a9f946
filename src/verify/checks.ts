// The checks of one verified model, each a pure function from what was measured to a result:
// a status, a short figure for the table, and a detail line when something differs.
import type { ModelSpec } from '../check/spec.js';
import type { OutputTensor } from '../runtime/session.js';
import { describeDifferences, structuralDifferences, type Difference } from './claims.js';
import type { Figures } from './formula.js';
import { paperFigures, specFigures } from './formula.js';
import { paperModel, roundedMillions } from './paper.js';
import type { Recount } from './recount.js';
import { grouped } from '../diagnostics/grouped.js';

export type Status = 'pass' | 'fail' | 'note' | 'skip';

export interface Check {
  readonly name: CheckName;
  readonly status: Status;
  /** Short, for the table: `2x1000`, `7,978,856`, `max 3e-8`. */
  readonly figure: string;
  readonly detail?: string;
}

export const checkNames = ['output', 'finite', 'softmax', 'stages', 'params', 'paper', 'cpu'] as const;
export type CheckName = (typeof checkNames)[number];

/** Softmax rows sum to 1 within this (float32 sums of up to a few thousand terms). */
export const SOFTMAX_TOLERANCE = 1e-5;
/**
 * A GPU run's output may differ from the CPU run's by this much (absolute, on probabilities):
 * GPU kernels sum in other orders, and onnxruntime's CUDA provider uses TF32 convolutions on
 * Ampere and later by default (10-bit mantissa products), far coarser than float32 rounding.
 */
export const GPU_TOLERANCE = 1e-3;

const sci = (x: number): string => (x === 0 ? '0' : x.toExponential(0));
const result = (name: CheckName, status: Status, figure: string, detail?: string): Check => ({ name, status, figure, ...(detail ? { detail } : {}) });

export function classesOf(spec: ModelSpec): number | undefined {
  const figures = specFigures(spec);
  return figures.stages.get('classification')?.[0] ?? [...figures.stages.values()].pop()?.[0];
}

export function checkOutput(out: OutputTensor, batch: number, spec: ModelSpec): Check {
  const expected = [batch, ...specShape(spec)];
  const ok = out.dims.length === expected.length && out.dims.every((d, i) => d === expected[i]);
  return result('output', ok ? 'pass' : 'fail', out.dims.join('x'), ok ? undefined : `output is ${out.dims.join('x')}, the spec makes ${expected.join('x')}`);
}

/** The final shape per sample, from the closed form: [F] after a classifier, else [C, H, W]. */
function specShape(spec: ModelSpec): number[] {
  const last = [...specFigures(spec).stages.values()].pop() ?? [0, 0, 0];
  const flat = spec.layers.some((l) => l.kind === 'linear');
  return flat ? [last[0] * last[1] * last[2]] : [...last];
}

export function checkFinite(outputs: ReadonlyMap<string, OutputTensor>): Check {
  let bad = 0;
  const where: string[] = [];
  for (const [name, t] of outputs) {
    let n = 0;
    for (const x of t.data) if (!Number.isFinite(x)) n++;
    if (n > 0) where.push(`${name} (${grouped(n)})`);
    bad += n;
  }
  return bad === 0 ? result('finite', 'pass', 'yes') : result('finite', 'fail', `${grouped(bad)} bad`, `NaN or Inf in ${where.join(', ')}`);
}

export function checkSoftmax(out: OutputTensor, isSoftmax: boolean): Check {
  if (!isSoftmax) return result('softmax', 'skip', '-', 'the model ends without a softmax');
  const [rows, ...rest] = out.dims;
  const width = rest.reduce((a, b) => a * b, 1);
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = 0; i < width; i++) sum += out.data[r * width + i];
    worst = Math.max(worst, Math.abs(sum - 1));
  }
  const ok = worst <= SOFTMAX_TOLERANCE;
  return result('softmax', ok ? 'pass' : 'fail', `max ${sci(worst)}`, ok ? undefined : `a row sums to 1 ± ${sci(worst)}, more than ${sci(SOFTMAX_TOLERANCE)}`);
}

/** [C, H, W] of a running stage output ([F] after the classifier reads as [F, 1, 1]). */
function perSample(t: OutputTensor): [number, number, number] {
  const [, c = 1, h = 1, w = 1] = t.dims;
  return [c, h, w];
}

/** Each stage output onnxruntime computed against the closed form of the spec. */
export function checkStages(stages: ReadonlyMap<string, OutputTensor>, spec: ModelSpec): Check {
  const expected = specFigures(spec).stages;
  const diffs: string[] = [];
  for (const [name, shape] of expected) {
    const ran = stages.get(name);
    if (!ran) diffs.push(`${name} is missing from the running graph`);
    else if (perSample(ran).join('x') !== shape.join('x')) diffs.push(`${name} ran ${perSample(ran).join('x')}, the spec makes ${shape.join('x')}`);
  }
  for (const name of stages.keys()) if (!expected.has(name)) diffs.push(`${name} is not a stage of the spec`);
  return diffs.length === 0 ? result('stages', 'pass', `${expected.size} ok`) : result('stages', 'fail', `${diffs.length} differ`, diffs.join('; '));
}

/** Learnable parameters and running statistics in the file against the closed form, exactly. */
export function checkParams(recount: Recount, spec: ModelSpec): Check {
  const f = specFigures(spec);
  const diffs: string[] = [];
  if (recount.learnable !== f.learnable) diffs.push(`${grouped(recount.learnable)} learnable in the file, ${grouped(f.learnable)} by the formula`);
  if (recount.runningStats !== f.runningStats) diffs.push(`${grouped(recount.runningStats)} running statistics in the file, ${grouped(f.runningStats)} by the formula`);
  if (recount.other.length > 0) diffs.push(`initializers with no role: ${recount.other.join(', ')}`);
  return result('params', diffs.length === 0 ? 'pass' : 'fail', grouped(recount.learnable), diffs.join('; ') || undefined);
}

/** The spec's claim (`is`/`like "Paper Name"`) against the paper: structure, Table sizes, params. */
export function checkPaper(spec: ModelSpec, recount: Recount, stages: ReadonlyMap<string, OutputTensor>): Check {
  const claim = spec.claim;
  if (!claim) return result('paper', 'skip', '-', 'no `is`/`like` claim');
  const m = paperModel(claim.paper);
  const soft = claim.relation === 'like';
  if (!m) return result('paper', soft ? 'note' : 'fail', 'unknown', `the paper has no model named "${claim.paper}"`);

  const diffs: Difference[] = structuralDifferences(spec, m);
  for (const [name, size] of Object.entries(m.outputSizes)) {
    const ran = stages.get(name);
    const [, h, w] = ran ? perSample(ran) : [0, 0, 0];
    if (!ran) diffs.push({ what: `stage ${name}`, ours: 'missing', paper: `${size}x${size}` });
    else if (h !== size || w !== size) diffs.push({ what: `stage ${name}`, ours: `${h}x${w}`, paper: `${size}x${size}` });
  }
  const classes = classesOf(spec) ?? m.classes[0];
  const paper: Figures = paperFigures(m, m.classes.includes(classes) ? classes : m.classes[0]);
  if (recount.learnable !== paper.learnable) diffs.push({ what: 'params', ours: grouped(recount.learnable), paper: grouped(paper.learnable) });
  if (m.params !== undefined && classes === m.classes[0] && roundedMillions(recount.learnable) !== m.params) {
    diffs.push({ what: `${m.source} params`, ours: roundedMillions(recount.learnable), paper: m.params });
  }

  const figure = m.params !== undefined ? roundedMillions(recount.learnable) : m.name;
  if (diffs.length === 0) return result('paper', 'pass', figure, `${claim.relation} ${m.name} (${m.source})`);
  const detail = `not ${m.name}: ${describeDifferences(diffs)}`;
  return result('paper', soft ? 'note' : 'fail', soft ? `not ${m.name}` : `${diffs.length} differ`, detail);
}

/** A GPU run's final output against the CPU run of the same model. */
export function checkCpuMatch(gpu: OutputTensor, cpu: OutputTensor | undefined): Check {
  if (!cpu) return result('cpu', 'skip', '-', 'ran on the CPU');
  let worst = 0;
  for (let i = 0; i < gpu.data.length; i++) worst = Math.max(worst, Math.abs(gpu.data[i] - cpu.data[i]));
  const ok = gpu.data.length === cpu.data.length && worst <= GPU_TOLERANCE;
  return result('cpu', ok ? 'pass' : 'fail', `max ${sci(worst)}`, ok ? undefined : `differs from the CPU run by ${sci(worst)} (tolerance ${sci(GPU_TOLERANCE)})`);
}
