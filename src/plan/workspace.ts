// Kernel scratch space, planned like any tensor: live only at its node's step. The reference
// convolution packs a tile of TILE output pixels of its (im2col, optionally BN-ReLU'd) input
// into a K x TILE panel, K = in channels * kernel height * kernel width. A conv that is not a
// plain 1x1 first copies one sample of its input, zero-padded (and BN-ReLU'd when fused), so
// that packing needs no bounds checks. Nothing else needs scratch.
import type { ConvParams, Dims, Node } from '../ir/graph.js';
import { exhaustive } from '../ir/graph.js';

/** Output pixels per packed panel; a multiple of the GEMM micro-kernel's width (4). */
export const TILE = 64;

/** A 1x1, stride 1, unpadded conv reads its input rows as they are. */
export function isDirect(p: ConvParams): boolean {
  return p.kernel[0] === 1 && p.kernel[1] === 1 && p.stride[0] === 1 && p.stride[1] === 1 && p.pad[0] === 0 && p.pad[1] === 0;
}

/** Elements of the packed panel and of the padded input copy (0 for a direct conv). */
export function convScratch(p: ConvParams, [c, h, w]: Dims): { panel: number; padded: number } {
  const panel = c * p.kernel[0] * p.kernel[1] * TILE;
  return { panel, padded: isDirect(p) ? 0 : c * (h + 2 * p.pad[0]) * (w + 2 * p.pad[1]) };
}

/** Scratch elements the node's kernel needs (shared by all samples, one after another). */
export function workspaceElements(n: Node): number {
  const op = n.op;
  switch (op.kind) {
    case 'conv':
      return convScratch(op, n.inputs[0].shape).panel + convScratch(op, n.inputs[0].shape).padded;
    case 'bnReluConv':
      return convScratch(op.conv, n.inputs[0].shape).panel + convScratch(op.conv, n.inputs[0].shape).padded;
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
    case 'add':
      return 0;
    default:
      return exhaustive(op);
  }
}
