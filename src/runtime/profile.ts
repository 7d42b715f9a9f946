// onnxruntime's own measured activation peak for a model: one run with its profiler on, then
// the largest `mem_in_use_peak` of the Node events of its Chrome-trace profile (the bytes its
// CPU allocator held in use at most, after each node; initializers are not counted there). This
// is what the runtime users run needs for the same file, after its own graph rewrites and with
// its own planner, to set beside densec's plan (`densec plan`) or to choose a form by (`densec
// tune --objective memory`). The profile goes into a fresh temporary folder, removed after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';

/** Runs `model` (bytes, or a file when its data lies beside it) once on zeros of `dims` with profiling into `prefix`. */
export async function profiledRun(model: Uint8Array | string, dims: readonly number[], prefix: string, threads = 1): Promise<void> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    enableProfiling: true,
    profileFilePrefix: prefix,
    logSeverityLevel: 3,
  };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  try {
    const elements = dims.reduce((a, b) => a * b, 1);
    await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(elements), dims) });
    session.endProfiling();
  } finally {
    await session.release();
  }
}

/** The largest `key` (default `mem_in_use_peak`) over the trace's Node events, in bytes; undefined when it has none. */
export function peakOfProfile(trace: unknown, key = 'mem_in_use_peak'): number | undefined {
  if (!Array.isArray(trace)) return undefined;
  let peak: number | undefined;
  for (const e of trace as { cat?: unknown; args?: Record<string, unknown> }[]) {
    const v = e?.cat === 'Node' ? Number(e.args?.[key]) : NaN;
    if (Number.isFinite(v)) peak = Math.max(peak ?? 0, v);
  }
  return peak;
}

export type MeasuredPeak = { readonly bytes: number } | { readonly skipped: string };

/** onnxruntime's activation peak for `model` at `dims` (CPU, `threads`), or why it could not be had. */
export async function activationPeak(model: Uint8Array | string, dims: readonly number[], threads = 1): Promise<MeasuredPeak> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-profile-'));
  try {
    try {
      await profiledRun(model, dims, path.join(dir, 'ort'), threads);
    } catch (e) {
      return { skipped: `onnxruntime could not run the graph (${(e as Error).message.split('\n')[0]})` };
    }
    const traces = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    if (traces.length !== 1) return { skipped: `onnxruntime wrote ${traces.length} profiles, expected 1` };
    const peak = peakOfProfile(JSON.parse(fs.readFileSync(path.join(dir, traces[0]), 'utf8')));
    return peak === undefined ? { skipped: "onnxruntime's profile has no mem_in_use_peak" } : { bytes: peak };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
