// Parameter counts recounted from an emitted ONNX file, independently of the IR: decode the
// bytes, and sum each initializer's element count (from its dims) by the role its state-dict
// name gives it. BatchNorm running statistics are not learnable; anything unrecognised is kept
// apart, so that a stray initializer shows up instead of hiding in a total.
import { readModel } from '../emit/decode.js';

export interface Recount {
  readonly learnable: number;
  readonly runningStats: number;
  /** Initializers whose name gives no role. */
  readonly other: readonly string[];
  readonly initializers: number;
}

export function recountParams(model: Uint8Array): Recount {
  let learnable = 0;
  let runningStats = 0;
  const other: string[] = [];
  const { initializers } = readModel(model, false);
  for (const t of initializers) {
    if (/\.(running_mean|running_var)$/.test(t.name)) runningStats += t.elements;
    else if (/\.(weight|bias|scale|shift)$/.test(t.name)) learnable += t.elements;
    else other.push(t.name);
  }
  return { learnable, runningStats, other, initializers: initializers.length };
}
