// The paper's composite function H as one node: BN -> ReLU -> Conv  ==>  bnReluConv.
// Exact: the fused node means the same three operations in the same order; the emitter
// chooses how to write them in ONNX (see emit/). Nothing is recomputed here.
// Refuses when: the BN's output or the ReLU's output has another user (the intermediate
// value would vanish).
// The fused node takes the conv's scope and stage; the BN's parameters travel in the op.
import type { Graph, Node, OpOf } from '../ir/graph.js';
import { addNode, removeNode, replaceAllUses } from '../ir/graph.js';
import { hasSoleUser, infoOf, producedBy, rulePass } from './pass.js';

interface Match {
  readonly bn: Node & { op: OpOf<'batchnorm'> };
  readonly relu: Node & { op: OpOf<'relu'> };
  readonly conv: Node & { op: OpOf<'conv'> };
}

function match(node: Node): Match | undefined {
  if (node.op.kind !== 'conv') return undefined;
  const relu = producedBy(node.inputs[0], 'relu');
  const bn = relu && producedBy(relu.inputs[0], 'batchnorm');
  return relu && bn ? { bn, relu, conv: node as Match['conv'] } : undefined;
}

function check({ bn, relu }: Match, g: Graph): string | undefined {
  if (!hasSoleUser(g, bn.output)) return 'the batchnorm output has another user';
  if (!hasSoleUser(g, relu.output)) return 'the relu output has another user';
  return undefined;
}

function rewrite({ bn, relu, conv }: Match, g: Graph): void {
  const { kind: _bnKind, ...bnParams } = bn.op;
  const { kind: _convKind, ...convParams } = conv.op;
  const fused = addNode(g, { kind: 'bnReluConv', bn: bnParams, conv: convParams }, [bn.inputs[0]], infoOf(conv), g.nodes.indexOf(conv));
  replaceAllUses(g, conv.output, fused.output);
  removeNode(g, conv);
  removeNode(g, relu);
  removeNode(g, bn);
}

export const fuseBnReluConv = rulePass<Match>({ name: 'fuse-bn-relu-conv', match, check, rewrite });
