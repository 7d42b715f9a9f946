// Which ONNX opsets densec emits, and the IR version written with each.
//
// Every op densec emits (Conv, BatchNormalization, Relu, MaxPool, AveragePool, GlobalAveragePool,
// Flatten, Concat, Gemm, Softmax, Identity, Mul, Add) has the same meaning, with the attributes we
// write, in every opset from 13 to 21:
// - Softmax changed at 13 (from "coerce to 2-D at axis" to "along axis"); we write axis=1 on a
//   [N, F] input, which means the same under both, and 13 is our floor anyway.
// - BatchNormalization 14/15 added training_mode (default 0) and type constraints; inference
//   with one output is unchanged. Dropout is never emitted (omitted, or Identity).
// - AveragePool 19 added dilations (default 1); Conv/MaxPool/AveragePool change next at 22.
// Below 13 Softmax, Concat, Flatten, Gemm and Identity differ in type rules; above 21 the pooling
// and conv ops get new versions we have not checked, so those opsets are refused (D0601).
//
// IR version: the lowest that carries the opset, i.e. the IR version of the onnx release that
// introduced it (1.8: IR 7/opset 13, 1.9: 7/14, 1.10: 8/15, 1.11: 8/16, 1.12: 8/17, 1.13: 8/18,
// 1.14: 9/19, 1.15: 9/20, 1.16: 10/21). So onnx 1.12 (IR <= 8, opset <= 17) reads the default.

export const defaultOpset = 17;
export const minOpset = 13;
export const maxOpset = 21;

const irVersions: Readonly<Record<number, number>> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

export function isSupportedOpset(opset: number): boolean {
  return Number.isInteger(opset) && opset >= minOpset && opset <= maxOpset;
}

/** The IR version emitted with `opset` (which must be supported). */
export function irVersionFor(opset: number): number {
  const ir = irVersions[opset];
  if (ir === undefined) throw new Error(`unsupported opset ${opset}`);
  return ir;
}
