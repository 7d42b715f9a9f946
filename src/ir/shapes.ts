// Shape inference: the output shape of an op from its input shapes (per sample, batch excluded).
// Pure arithmetic; it reports nothing. Sizes below 1 are returned as they are and reported by
// lowering (ir/lower.ts), which knows the source span and the stage.
import type { Dims, Op, Pair } from './graph.js';
import { exhaustive, IrError } from './graph.js';
import { windowOut } from './rules.js';

export { windowOut };

function spatial(x: Dims, kernel: Pair, stride: Pair, pad: Pair): [number, number] {
  return [windowOut(x[1], kernel[0], stride[0], pad[0]), windowOut(x[2], kernel[1], stride[1], pad[1])];
}

export function inferShape(op: Op, inputs: readonly Dims[]): Dims {
  const x = inputs[0];
  switch (op.kind) {
    case 'conv':
      return [op.outChannels, ...spatial(x, op.kernel, op.stride, op.pad)];
    case 'bnReluConv':
      return [op.conv.outChannels, ...spatial(x, op.conv.kernel, op.conv.stride, op.conv.pad)];
    case 'maxpool':
    case 'avgpool':
      return [x[0], ...spatial(x, op.kernel, op.stride, op.pad)];
    case 'globalavgpool':
      return [x[0], 1, 1];
    case 'flatten':
      return [x.reduce((a, b) => a * b, 1)];
    case 'concat': {
      const [, h, w] = x;
      for (const s of inputs) {
        if (s.length !== 3 || s[1] !== h || s[2] !== w) throw new IrError(`concat of mismatched shapes ${JSON.stringify(inputs)}`);
      }
      return [inputs.reduce((a, s) => a + s[0], 0), h, w];
    }
    case 'linear':
      return [op.outFeatures];
    case 'add': {
      const same = inputs.length === 2 && inputs[1].length === x.length && inputs[1].every((d, i) => d === x[i]);
      if (!same) throw new IrError(`add of mismatched shapes ${JSON.stringify(inputs)}`);
      return x;
    }
    case 'batchnorm':
    case 'relu':
    case 'softmax':
    case 'dropout':
    case 'affine':
      return x;
    default:
      return exhaustive(op);
  }
}
