// Fold an inference BatchNorm into the conv before it: Conv(W, b) -> BN -> y  ==>  Conv(W', b') -> y.
// Exact: BN is per output channel o the affine map y = s[o] * (x - mean[o]) + beta[o] with
// s = gamma / sqrt(var + eps), and x = W[o] * patch + b[o] is linear in W[o] and b[o], so
//   W'[o] = s[o] * W[o],   b'[o] = s[o] * (b[o] - mean[o]) + beta[o]   (b = 0 without a bias).
// The new parameters are computed in float64 and rounded once to float32.
// Preconditions: the BN reads a conv whose output has no other user (nor is the graph output),
// and both carry parameter data.
// In DenseNet: the stem's conv0 -> norm0 and each bottleneck's conv1 -> norm2.
// `foldBnIntoConvInPlace` writes W' into W's own array (the same Tensor), for a caller that
// consumes its input graph's weights (OptimizeOptions.consumeWeights): one copy of a 3 GB model.
import type { BnParams, ConvParams, Graph, Node, OpOf, Tensor } from '../ir/graph.js';
import { scaledRows } from '../ir/deferred.js';
import { hasValues, removeNode, replaceAllUses } from '../ir/graph.js';
import { bnScaleShift } from '../ir/rules.js';
import { hasSoleUser, producedBy, rulePass } from './pass.js';

interface Match {
  readonly conv: Node & { op: OpOf<'conv'> };
  readonly bn: Node & { op: OpOf<'batchnorm'> };
}

function match(node: Node): Match | undefined {
  if (node.op.kind !== 'batchnorm') return undefined;
  const conv = producedBy(node.inputs[0], 'conv');
  return conv ? { conv, bn: node as Match['bn'] } : undefined;
}

function check({ conv, bn }: Match, g: Graph): string | undefined {
  if (!hasSoleUser(g, conv.output)) return 'the conv output has another user';
  const tensors = [conv.op.weight, conv.op.bias, bn.op.gamma, bn.op.beta, bn.op.mean, bn.op.var];
  if (tensors.some((t) => t !== undefined && !hasValues(t))) return 'the parameters have no data (weights not attached)';
  return undefined;
}

/** The folded weight and bias of `conv` followed by `bn`, in float64 rounded once to float32. */
export function foldedParams(conv: ConvParams, bn: BnParams, inPlace = false): { weight: Tensor; bias: Tensor } {
  const out = conv.outChannels;
  const bias = new Float32Array(out);
  const b0 = conv.bias?.data;
  const { scale, shift } = bnScaleShift(bn);
  for (let o = 0; o < out; o++) bias[o] = scale[o] * (b0 ? b0[o] : 0) + shift[o];
  const biasTensor = { shape: [out], data: bias };
  // A weight made when written (ir/deferred.ts) is scaled then, by the same products.
  if (conv.weight.deferred) return { weight: { shape: conv.weight.shape, data: undefined, deferred: scaledRows(conv.weight.deferred, scale) }, bias: biasTensor };
  const w = conv.weight.data!;
  const perOut = w.length / out;
  const weight = inPlace ? w : new Float32Array(w.length);
  for (let o = 0, i = 0; o < out; o++) {
    const s = scale[o];
    for (const end = i + perOut; i < end; i++) weight[i] = w[i] * s;
  }
  return { weight: inPlace ? conv.weight : { shape: conv.weight.shape, data: weight }, bias: biasTensor };
}

function rewrite(inPlace: boolean) {
  return ({ conv, bn }: Match, g: Graph): void => {
    conv.op = { ...conv.op, ...foldedParams(conv.op, bn.op, inPlace) };
    replaceAllUses(g, bn.output, conv.output);
    removeNode(g, bn);
  };
}

export const foldBnIntoConv = rulePass<Match>({ name: 'fold-bn-into-conv', match, check, rewrite: rewrite(false) });
export const foldBnIntoConvInPlace = rulePass<Match>({ name: 'fold-bn-into-conv', match, check, rewrite: rewrite(true) });
