// The in-process checks of one generated spec (generate.ts). Each returns what went wrong, so
// a property can fail on it and fast-check shrink the spec; an exception is a bug in densec
// (what the CLI would report as exit 70), and is returned as such.
//   1. compile succeeds (the generator writes only valid specs), with no exception
//   2. the verifier's closed form (verify/formula.ts) equals the lowered graph's counts and stages
//   3. `verify` passes
//   4. -O0, -O1 and -O2 agree in onnxruntime with random BatchNorm statistics
//   5. the reference executor agrees with onnxruntime on the -O2 graph
import ort from 'onnxruntime-node';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { renderText, sourcesOf } from '../../src/diagnostics/render.js';
import { drive, type DriverOptions } from '../../src/driver.js';
import { emitPrepared } from '../../src/emit/build.js';
import { graphCounts } from '../../src/ir/counts.js';
import { stageOutput, type Graph } from '../../src/ir/graph.js';
import { Rng } from '../../src/ir/weights.js';
import type { OptLevel } from '../../src/passes/pipeline.js';
import { planMemory } from '../../src/plan/plan.js';
import { execute } from '../../src/runtime/ref/execute.js';
import { specFigures } from '../../src/verify/formula.js';
import { verifyModel } from '../../src/verify/verify.js';
import type { Sample } from './generate.js';

export const rtol = 1e-4;
export const atol = 1e-5;

export function sourceOptions(s: Sample): Pick<DriverOptions, 'fileName' | 'readFile'> {
  return { fileName: 'gen.dense', readFile: (p) => s.files[p.replace(/^\.\//, '')] };
}

/** The spec's one model, optimized at `level` with random BN statistics; or why not. */
export function build(s: Sample, level: OptLevel, extra: Partial<DriverOptions> = {}) {
  const driven = drive(s.text, { ...sourceOptions(s), optLevel: level, randomBnStats: true, seed: 5, head: 'logits', one: true, until: 'optimized', ...extra });
  const model = driven.models[0];
  if (driven.failure || !model?.prepared) return { error: renderText(driven.diagnostics, sourcesOf(driven.sources)) || 'no model' };
  return { prepared: model.prepared };
}

function input(g: Graph, seed = 3): Float32Array {
  const rng = new Rng(seed);
  const n = g.input.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

async function runOrt(model: Uint8Array, g: Graph, x: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, ...g.input.shape]) });
    return out[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The largest |a - b| beyond atol + rtol |b|, or undefined when all are within. */
export function mismatch(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) return `element ${i}: ${a[i]} vs ${b[i]}`;
  }
  return undefined;
}

function closedFormAgrees(p: { spec: Parameters<typeof specFigures>[0]; lowered: Graph }): string[] {
  const f = specFigures(p.spec);
  const counts = graphCounts(p.lowered).total;
  const out: string[] = [];
  if (f.learnable !== counts.learnable) out.push(`closed form: ${f.learnable} learnable parameters, lowering ${counts.learnable}`);
  if (f.runningStats !== counts.bnRunningStats) out.push(`closed form: ${f.runningStats} BN statistics, lowering ${counts.bnRunningStats}`);
  for (const stage of p.lowered.stages) {
    const v = stageOutput(p.lowered, stage.name);
    const want = f.stages.get(stage.name);
    const got = v ? (v.shape.length === 1 ? [v.shape[0], 1, 1] : v.shape) : undefined;
    if (!want || !got || want.join('x') !== got.join('x')) out.push(`stage ${stage.name}: closed form ${want?.join('x')}, lowering ${got?.join('x')}`);
  }
  return out;
}

/** Every in-process check of one sample; the list of failures (empty when it passes). */
export async function checkSample(s: Sample): Promise<string[]> {
  try {
    return await checks(s);
  } catch (e) {
    return [`exception (a densec bug, exit 70): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
  }
}

async function checks(s: Sample): Promise<string[]> {
  const levels: OptLevel[] = [0, 1, 2];
  const built = levels.map((level) => build(s, level));
  const failed = built.find((b) => 'error' in b);
  if (failed && 'error' in failed) return [`compile failed:\n${failed.error}`];
  const [p0, p1, p2] = built.map((b) => ('prepared' in b ? b.prepared! : undefined)!);
  const out = closedFormAgrees(p0);

  const verified = await verifyModel(p2.spec, { seed: 5 });
  if (verified.kind !== 'report') out.push(`verify: ${verified.kind}`);
  else if (!verified.report.passed) out.push(`verify failed: ${verified.report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.detail}`).join('; ')}`);

  const x = input(p0.graph);
  const [y0, y1, y2] = await Promise.all([p0, p1, p2].map((p) => runOrt(emitPrepared(p).model, p.graph, x)));
  const d1 = mismatch(y1, y0);
  const d2 = mismatch(y2, y0);
  if (d1) out.push(`-O1 differs from -O0: ${d1}`);
  if (d2) out.push(`-O2 differs from -O0: ${d2}`);

  // The reference executor runs the whole graph, softmax included: compare with that emission.
  const ref = execute(p2.graph, planMemory(p2.graph, { batch: 1 }), x, { poison: true }).output;
  const dr = mismatch(ref, await runOrt(emitPrepared(p2, { head: 'softmax' }).model, p2.graph, x));
  if (dr) out.push(`reference executor differs from onnxruntime at -O2: ${dr}`);
  if (hasErrors(verified.diagnostics)) out.push('verify reported errors');
  return out;
}
