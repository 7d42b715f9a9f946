// onnxruntime CPU latency of several ONNX files on one machine, measured alternately: after a
// warm-up, each round runs every model once, rotating which goes first, so that load from
// other processes falls on all of them alike. One batch (dims[0]) and intra-op thread count per
// call; each model's time of every round is kept, so that ratios can be taken round by round.
import ort from 'onnxruntime-node';
import { median, quantile } from '../src/runtime/stats.js';

export interface Latency {
  readonly name: string;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly runs: number;
  /** Milliseconds of each round, in round order. */
  readonly times: readonly number[];
}

export interface Model {
  readonly name: string;
  readonly file: string;
}

/** A deterministic input in [-1, 1]. */
export function benchInput(shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + 0.3));
}

export async function openSession(file: string, threads: number, ep: 'cpu' | 'webgpu' = 'cpu'): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, {
    executionProviders: [ep],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}

/** The first output of `session` for `input` (NCHW). */
export async function runOnce(session: ort.InferenceSession, input: Float32Array, dims: readonly number[]): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
  return out[session.outputNames[0]].data as Float32Array;
}

export async function measure(models: readonly Model[], dims: readonly number[], threads: number, runs: number, warmup: number, ep: 'cpu' | 'webgpu' = 'cpu'): Promise<Latency[]> {
  const input = benchInput(dims);
  const sessions = [];
  for (const m of models) sessions.push(await openSession(m.file, threads, ep));
  const times: number[][] = models.map(() => []);
  for (let r = -warmup; r < runs; r++) {
    for (let j = 0; j < sessions.length; j++) {
      const i = (((r % sessions.length) + sessions.length) % sessions.length + j) % sessions.length;
      const t = performance.now();
      await runOnce(sessions[i], input, dims);
      if (r >= 0) times[i].push(performance.now() - t);
    }
  }
  for (const s of sessions) await s.release();
  return models.map((m, i) => ({ name: m.name, median: median(times[i]), p10: quantile(times[i], 0.1), p90: quantile(times[i], 0.9), runs, times: times[i] }));
}
