// How the pictures name ops, shapes and channel counts. Every number comes from the IR.
import { exhaustive, type Dims, type Op, type Pair } from '../ir/graph.js';
import { grouped } from '../diagnostics/grouped.js';

const size = (p: Pair): string => `${p[0]}x${p[1]}`;
const strided = (s: Pair): string => (s[0] === 1 && s[1] === 1 ? '' : s[0] === s[1] ? `, stride ${s[0]}` : `, stride ${size(s)}`);

/** `7x7 conv 64, stride 2`, `BN`, `3x3 max pool, stride 2`, `linear 1000`. */
export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'conv':
      return `${size(op.kernel)} conv ${op.outChannels}${op.bias ? ' + bias' : ''}${strided(op.stride)}`;
    case 'batchnorm':
      return 'BN';
    case 'relu':
      return 'ReLU';
    case 'maxpool':
    case 'avgpool': {
      const pool = `${size(op.kernel)} ${op.kind === 'maxpool' ? 'max' : 'avg'} pool`;
      // Pools stride by their kernel unless told otherwise: say the stride only when it differs.
      return op.stride[0] === op.kernel[0] && op.stride[1] === op.kernel[1] ? pool : `${pool}${strided(op.stride)}`;
    }
    case 'globalavgpool':
      return 'global avg pool';
    case 'flatten':
      return 'flatten';
    case 'concat':
      return 'concat';
    case 'linear':
      return `linear ${op.outFeatures}`;
    case 'softmax':
      return 'softmax';
    case 'dropout':
      return `dropout ${op.rate}`;
    case 'bnReluConv':
      return `BN-ReLU-${describeOp({ kind: 'conv', ...op.conv })}`;
    case 'affine':
      return 'scale + shift';
    case 'add':
      return 'add';
    default:
      return exhaustive(op);
  }
}

/** The conv inside a node, if it has one (`conv` or the fused `bnReluConv`). */
export function convOf(op: Op): { kernel: Pair; outChannels: number } | undefined {
  if (op.kind === 'conv') return op;
  if (op.kind === 'bnReluConv') return op.conv;
  return undefined;
}

/** `1x1 conv 128` (no stride: dense layers never stride). */
export function describeConv(c: { kernel: Pair; outChannels: number }): string {
  return `${size(c.kernel)} conv ${c.outChannels}`;
}

/** `64 x 56 x 56`, or `1000` for a vector. */
export function describeShape(s: Dims): string {
  return s.join(' x ');
}

/** `56x56`: the spatial size of a [C, H, W] map, or undefined for a vector. */
export function spatial(s: Dims): string | undefined {
  return s.length === 3 ? `${s[1]}x${s[2]}` : undefined;
}

/** Thousands grouped: `7,978,856`. */
export { grouped };
