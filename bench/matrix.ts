// The bench's matrix: every model file of a comparison (-O0, -O2, the peer) in onnxruntime CPU
// and in OpenCV DNN, at each batch and thread count, alternating within one cell. Besides each
// file's median, a cell keeps the ratio of two files' times round by round (the peer's time over
// -O2's in the same round, say): load from other processes moves both alike, so the spread of
// that ratio (p10 to p90 over the rounds) says how far the comparison can be trusted.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, type Latency, type Model } from './latency.js';
import { median, quantile } from './stats.js';

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

export const python = '/usr/bin/python3';
const script = (name: string): string => fileURLToPath(new URL(`../../bench/${name}`, import.meta.url));

/** Why OpenCV cannot run here, or undefined. */
export function opencvMissing(): string | undefined {
  const r = spawnSync(python, ['-c', 'import cv2, numpy'], { encoding: 'utf8' });
  if (r.error) return `${python} is not available (${r.error.message})`;
  return r.status === 0 ? undefined : `${python} cannot import cv2 (apt-get install python3-opencv)`;
}

function openCvLatency(files: readonly Model[], dims: readonly number[], threads: number, runs: number, warmup: number): Latency[] {
  const args = [script('opencv.py'), String(dims[0]), String(threads), String(runs), String(warmup), ...files.map((f) => f.file)];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
  if (r.status !== 0) throw new Error(`opencv.py failed (${r.status}): ${r.stderr || r.error?.message}`);
  const { times } = JSON.parse(r.stdout) as { times: number[][] };
  return files.map((f, i) => ({ name: f.name, median: median(times[i]), p10: quantile(times[i], 0.1), p90: quantile(times[i], 0.9), runs, times: times[i] }));
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
