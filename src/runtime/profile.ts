// onnxruntime's own measured activation peak for a model: one run with its profiler on, then
// the largest `mem_in_use_peak` of the Node events of its Chrome-trace profile (the bytes its
// CPU allocator held in use at most, after each node; initializers are not counted there). This
// is what the runtime users run needs for the same file, after its own graph rewrites and with
// its own planner, to set beside densec's plan. The profile file is the caller's: this module
// names where it goes and reads what it holds, the CLI writes, reads and removes it.
import ort from 'onnxruntime-node';

/** Runs `model` once on zeros of `dims` with profiling into `prefix`; the profile's path comes from onnxruntime. */
export async function profiledRun(model: Uint8Array, dims: readonly number[], prefix: string, threads = 1): Promise<void> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    enableProfiling: true,
    profileFilePrefix: prefix,
    logSeverityLevel: 3,
  });
  const elements = dims.reduce((a, b) => a * b, 1);
  await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(elements), dims) });
  session.endProfiling();
  await session.release();
}

/** The largest `mem_in_use_peak` over the trace's Node events, in bytes; undefined when it has none. */
export function peakOfProfile(trace: unknown): number | undefined {
  if (!Array.isArray(trace)) return undefined;
  let peak: number | undefined;
  for (const e of trace as { cat?: unknown; args?: Record<string, unknown> }[]) {
    const v = e?.cat === 'Node' ? Number(e.args?.mem_in_use_peak) : NaN;
    if (Number.isFinite(v)) peak = Math.max(peak ?? 0, v);
  }
  return peak;
}
