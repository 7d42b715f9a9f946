// Kernel scratch space, planned like any tensor: live only at its node's step. The reference
// convolution packs a tile of TILE output pixels of its (im2col, optionally BN-ReLU'd) input
// into a K x TILE panel, K = in channels * kernel height * kernel width; nothing else needs one.
import type { Node } from '../ir/graph.js';
import { exhaustive } from '../ir/graph.js';

/** Output pixels per packed panel; a multiple of the GEMM micro-kernel's width (4). */
export const TILE = 64;

/** Scratch elements the node's kernel needs (shared by all samples, one after another). */
export function workspaceElements(n: Node): number {
  const op = n.op;
  switch (op.kind) {
    case 'conv':
      return n.inputs[0].shape[0] * op.kernel[0] * op.kernel[1] * TILE;
    case 'bnReluConv':
      return n.inputs[0].shape[0] * op.conv.kernel[0] * op.conv.kernel[1] * TILE;
    case 'batchnorm':
    case 'relu':
    case 'maxpool':
    case 'avgpool':
    case 'globalavgpool':
    case 'flatten':
    case 'concat':
    case 'linear':
    case 'softmax':
    case 'dropout':
    case 'affine':
      return 0;
    default:
      return exhaustive(op);
  }
}
