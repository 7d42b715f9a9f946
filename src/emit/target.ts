// `--target`: the exact form of the -O2 graph that measured fastest in each runtime. Every form
// computes the same function (each pass is exact); they differ in which ops the runtime fuses.
//   onnxruntime  split: dense blocks as a chain of Concats whose links the split passes never
//                materialise; onnxruntime's NCHWc transformer fuses each Add into its conv
//   opencv       concat: one Concat of all earlier features per layer and no splits; OpenCV
//                4.6 runs each split's Add as its own layer, and its Concat is cheap
//   portable     concat as well: no reliance on any runtime fusing an Add into a conv
// Measured per round in alternating runs (bench/RESULTS.md); `densec tune` measures the same
// forms on the user's own machine.
import type { ConcatForm } from '../passes/pipeline.js';

export type Target = 'onnxruntime' | 'opencv' | 'portable';

export const targets: readonly Target[] = ['onnxruntime', 'opencv', 'portable'];

export interface TargetForm {
  readonly concat: ConcatForm;
  readonly fusedForm: 'bn' | 'affine';
}

export const targetForms: Readonly<Record<Target, TargetForm>> = {
  onnxruntime: { concat: 'chain', fusedForm: 'bn' },
  opencv: { concat: 'all', fusedForm: 'bn' },
  portable: { concat: 'all', fusedForm: 'bn' },
};
