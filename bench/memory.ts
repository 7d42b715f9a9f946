// Activation memory of an onnxruntime session, from its own profile: after one run, a profiled
// run reports per kernel the bytes its CPU arena holds and the bytes requested from it. Their
// peaks are onnxruntime's activation memory (weights are initializers, outside the arena),
// deterministic for a model, unlike the process's resident set.
import { peaksOf, profileEvents } from './profile.js';

export interface Memory {
  /** Largest `mem_arena_held` of any kernel: what the arena had allocated. */
  readonly arenaPeakBytes: number;
  /** Largest `mem_bytes_requested_in_use`: what the tensors live at once asked for. */
  readonly requestedPeakBytes: number;
  /** Largest `mem_in_use_peak`: the allocator's own high water, the figure `densec plan` and `densec tune` report. */
  readonly inUsePeakBytes: number;
}

export async function measureMemory(file: string, threads: number, dims: readonly number[]): Promise<Memory> {
  return peaksOf(await profileEvents(file, dims, threads, 0));
}
