// The bench's matrix: every model file of a comparison (-O0, -O2, the peer) in onnxruntime CPU
// and in OpenCV DNN, at each batch and thread count, alternating within one cell. Besides each
// file's median, a cell keeps the ratio of two files' times round by round (the peer's time over
// -O2's in the same round, say): load from other processes moves both alike, so the spread of
// that ratio (p10 to p90 over the rounds) says how far the comparison can be trusted.
import { openCvMissing, timeOpenCv } from '../src/runtime/opencv.js';
import { python } from '../scripts/python.js';
import { measure, type Latency, type Model } from './latency.js';
import { median, quantile } from '../src/runtime/stats.js';

export type Runtime = 'onnxruntime' | 'opencv';

export interface Ratio {
  /** `over`'s time divided by `of`'s, round by round: how many times faster `of` is. */
  readonly of: string;
  readonly over: string;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

export interface Cell {
  readonly model: string;
  readonly runtime: Runtime;
  readonly batch: number;
  readonly threads: number;
  readonly rows: readonly Latency[];
  readonly ratios: readonly Ratio[];
}

export interface CellSpec {
  readonly model: string;
  readonly runtime: Runtime;
  readonly batch: number;
  readonly threads: number;
  readonly runs: number;
  readonly warmup: number;
  /** The files; a runtime may need its own file of the same network (OpenCV: opset 14). */
  readonly files: readonly Model[];
  /** [of, over] pairs of file names. */
  readonly ratios: readonly (readonly [string, string])[];
}

export { python };

/** Why OpenCV cannot run here, or undefined. */
export function opencvMissing(): string | undefined {
  const missing = openCvMissing(python);
  return missing && `${missing.diagnostic.message} (${missing.detail}; apt-get install python3-opencv)`;
}

function openCvLatency(files: readonly Model[], dims: readonly number[], threads: number, runs: number, warmup: number): Latency[] {
  const r = timeOpenCv(python, files.map((f) => f.file), files.map((f) => f.name), dims, threads, runs, warmup);
  if (!r.ok) throw new Error(`${r.failure.diagnostic.message}: ${r.failure.detail}`);
  return files.map((f, i) => ({ name: f.name, median: median(r.times[i]), p10: quantile(r.times[i], 0.1), p90: quantile(r.times[i], 0.9), runs, times: [...r.times[i]] }));
}

export function ratioOf(rows: readonly Latency[], of: string, over: string): Ratio | undefined {
  const a = rows.find((r) => r.name === of);
  const b = rows.find((r) => r.name === over);
  if (!a || !b) return undefined;
  const per = a.times.map((t, i) => b.times[i] / t);
  return { of, over, median: median(per), p10: quantile(per, 0.1), p90: quantile(per, 0.9) };
}

export async function measureCell(c: CellSpec, input: readonly number[]): Promise<Cell> {
  const dims = [c.batch, ...input];
  const rows = c.runtime === 'onnxruntime' ? await measure(c.files, dims, c.threads, c.runs, c.warmup) : openCvLatency(c.files, dims, c.threads, c.runs, c.warmup);
  const ratios = c.ratios.flatMap(([of, over]) => ratioOf(rows, of, over) ?? []);
  return { model: c.model, runtime: c.runtime, batch: c.batch, threads: c.threads, rows, ratios };
}
