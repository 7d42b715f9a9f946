// Counts of a graph: learnable parameters, BatchNorm running statistics and multiply-accumulates,
// per node, per Table 1 stage and in total. Computed from the IR alone (shapes and attributes).
//
// Learnable parameters: conv weight (+ bias), BatchNorm gamma and beta, Linear weight and bias,
// and an `affine` node's scale and shift. BatchNorm running mean and variance are counted
// separately (`bnRunningStats`), as torchvision's state dict and Keras' "non-trainable" do.
//
// MACs (multiply-accumulates), the definition that gives torchvision's densenet121 figure
// exactly (2,834,161,664 at 224x224, batch 1):
//   conv:   out_channels * out_h * out_w * in_channels * kh * kw   (the bias add is not counted)
//   linear: in_features * out_features                               (the bias add is not counted)
//   every other op (BatchNorm, ReLU, pooling, concat, flatten, softmax, dropout, affine, add): 0.
//   An `add` (the sum of a conv split over its input channels) is the accumulation the split
//   conv would have done inside itself; the parts' MACs already add up to the whole conv's.
// For densenet121 the convs give 2,833,137,664 and the classifier 1,024,000. Counting BN
// (14.9 M), ReLU (14.9 M) or the pools (2.5 M) as well overshoots the reference, so they are
// treated, as usual, as memory-bound element-wise work rather than MACs. A fused `bnReluConv`
// counts its conv's MACs only, so fusion does not change the total.
import { elementCount, exhaustive, type Graph, type Node, type Op, type Tensor } from './graph.js';

export interface Counts {
  readonly learnable: number;
  readonly bnRunningStats: number;
  readonly macs: number;
}

export const zeroCounts: Counts = { learnable: 0, bnRunningStats: 0, macs: 0 };

export function addCounts(a: Counts, b: Counts): Counts {
  return { learnable: a.learnable + b.learnable, bnRunningStats: a.bnRunningStats + b.bnRunningStats, macs: a.macs + b.macs };
}

/** A parameter tensor of an op and what it is for. */
export interface ParamTensor {
  /** As in torchvision's state dict, relative to the node's scope (`weight`, `running_mean`, ...). */
  readonly role: 'weight' | 'bias' | 'running_mean' | 'running_var' | 'scale' | 'shift';
  /** For `bnReluConv`: which of its two parts owns the tensor. */
  readonly part: 'bn' | 'conv' | undefined;
  readonly tensor: Tensor;
  readonly learnable: boolean;
}

/** Every parameter tensor an op holds, in a stable order. */
export function paramTensors(op: Op): ParamTensor[] {
  const p = (role: ParamTensor['role'], tensor: Tensor, learnable: boolean, part?: 'bn' | 'conv'): ParamTensor => ({ role, part, tensor, learnable });
  switch (op.kind) {
    case 'conv':
    case 'linear':
      return op.bias ? [p('weight', op.weight, true), p('bias', op.bias, true)] : [p('weight', op.weight, true)];
    case 'batchnorm':
      return [p('weight', op.gamma, true), p('bias', op.beta, true), p('running_mean', op.mean, false), p('running_var', op.var, false)];
    case 'bnReluConv': {
      const bn = op.bn;
      const conv = [p('weight', op.conv.weight, true, 'conv')];
      if (op.conv.bias) conv.push(p('bias', op.conv.bias, true, 'conv'));
      return [
        p('weight', bn.gamma, true, 'bn'),
        p('bias', bn.beta, true, 'bn'),
        p('running_mean', bn.mean, false, 'bn'),
        p('running_var', bn.var, false, 'bn'),
        ...conv,
      ];
    }
    case 'affine':
      return [p('scale', op.scale, true), p('shift', op.shift, true)];
    case 'relu':
    case 'maxpool':
    case 'avgpool':
    case 'globalavgpool':
    case 'flatten':
    case 'concat':
    case 'softmax':
    case 'dropout':
    case 'add':
      return [];
    default:
      return exhaustive(op);
  }
}

/** MACs of one node, from its op, input shape and output shape (see the header). */
function macsOf(node: Node): number {
  const op = node.op;
  switch (op.kind) {
    case 'conv':
      return elementCount(node.output.shape) * node.inputs[0].shape[0] * op.kernel[0] * op.kernel[1];
    case 'bnReluConv':
      return elementCount(node.output.shape) * node.inputs[0].shape[0] * op.conv.kernel[0] * op.conv.kernel[1];
    case 'linear':
      return elementCount(node.inputs[0].shape) * op.outFeatures;
    case 'batchnorm':
    case 'affine':
    case 'relu':
    case 'maxpool':
    case 'avgpool':
    case 'globalavgpool':
    case 'flatten':
    case 'concat':
    case 'softmax':
    case 'dropout':
    case 'add':
      return 0;
    default:
      return exhaustive(op);
  }
}

export function nodeCounts(node: Node): Counts {
  let learnable = 0;
  let bnRunningStats = 0;
  for (const p of paramTensors(node.op)) {
    if (p.learnable) learnable += elementCount(p.tensor.shape);
    else bnRunningStats += elementCount(p.tensor.shape);
  }
  return { learnable, bnRunningStats, macs: macsOf(node) };
}

export interface GraphCounts {
  readonly total: Counts;
  /** Per stage name, in the order of `g.stages`. */
  readonly stages: ReadonlyMap<string, Counts>;
  readonly nodes: ReadonlyMap<Node, Counts>;
}

export function graphCounts(g: Graph): GraphCounts {
  const nodes = new Map<Node, Counts>();
  const stages = new Map<string, Counts>(g.stages.map((s) => [s.name, zeroCounts]));
  let total = zeroCounts;
  for (const n of g.nodes) {
    const c = nodeCounts(n);
    nodes.set(n, c);
    stages.set(n.stage, addCounts(stages.get(n.stage) ?? zeroCounts, c));
    total = addCounts(total, c);
  }
  return { total, stages, nodes };
}

/**
 * Bytes of float32 weights: learnable parameters plus BN running statistics, what an emitted
 * model stores as initializers.
 */
/** Weights above this many bytes in total do not fit one protobuf (2 GiB, less 64 MiB kept for the graph): they go to external data. */
export const protobufWeightLimit = 2 ** 31 - 2 ** 26;

export function weightBytes(c: Counts): number {
  return 4 * (c.learnable + c.bnRunningStats);
}

/**
 * Bytes of float32 activations at batch 1: the sum of every node's output tensor, as if none
 * were freed or reused (the graph input excluded). An upper bound on what a runtime keeps live;
 * onnxruntime's planner reuses buffers and peaks far lower.
 */
export function activationBytes(g: Graph): number {
  return 4 * g.nodes.reduce((sum, n) => sum + elementCount(n.output.shape), 0);
}
