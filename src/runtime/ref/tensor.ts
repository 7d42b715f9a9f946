// How kernels see a tensor in the arena: sample n of `view` starts at element
// `offset + n * sampleStride` of `data` and its [C, H, W] (or [F]) elements are contiguous.
import type { Dims } from '../../ir/graph.js';

export interface View {
  readonly data: Float32Array;
  /** Element offset of sample 0. */
  readonly offset: number;
  readonly sampleStride: number;
  readonly shape: Dims;
}

/** Where sample n starts. */
export const at = (v: View, n: number): number => v.offset + n * v.sampleStride;
