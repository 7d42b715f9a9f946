// Activation memory of an onnxruntime session, from its own profile: after one run, a profiled
// run reports per kernel the bytes its CPU arena holds and the bytes requested from it. Their
// peaks are onnxruntime's activation memory (weights are initializers, outside the arena),
// deterministic for a model, unlike the process's resident set.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { benchInput, runOnce } from './latency.js';

export interface Memory {
  /** Largest `mem_arena_held` of any kernel: what the arena had allocated. */
  readonly arenaPeakBytes: number;
  /** Largest `mem_bytes_requested_in_use`: what the tensors live at once asked for. */
  readonly requestedPeakBytes: number;
}

interface ProfileEvent {
  readonly cat: string;
  readonly args?: Record<string, unknown>;
}

export async function measureMemory(file: string, threads: number, dims: readonly number[]): Promise<Memory> {
  const dir = mkdtempSync(join(tmpdir(), 'densec-bench-'));
  try {
    const session = await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      graphOptimizationLevel: 'all',
      enableProfiling: true,
      profileFilePrefix: join(dir, 'profile'),
      logSeverityLevel: 3,
    });
    const input = benchInput(dims);
    await runOnce(session, input, dims);
    session.endProfiling();
    await session.release();
    const events = readdirSync(dir).flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ProfileEvent[]);
    const peak = (key: string): number => Math.max(0, ...events.filter((e) => e.cat === 'Node').map((e) => Number(e.args?.[key] ?? 0)));
    return { arenaPeakBytes: peak('mem_arena_held'), requestedPeakBytes: peak('mem_bytes_requested_in_use') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
