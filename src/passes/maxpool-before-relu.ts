// Max pool before ReLU in the stem: ReLU -> MaxPool -> y  ==>  MaxPool -> ReLU -> y.
// Exact: ReLU is monotone non-decreasing, so relu(max_i x_i) = max_i relu(x_i) over every
// window. Padding does not break it: ONNX MaxPool pads with -inf, so a window's maximum is
// over its real elements only (every window holds at least one, as pad < kernel), the same
// set on both sides. The ReLU then touches 1/(sh*sw) of the elements.
// Refuses when: the pool is an average pool (a mean does not commute with ReLU), or the ReLU's
// output has another user.
// The moved ReLU keeps its scope but joins the pool's stage: it now ends that stage (its output
// is the old pool output), and the stage before ends with its pre-activation map of the same
// shape.
import type { Graph, Node, OpOf } from '../ir/graph.js';
import { addNode, removeNode, replaceAllUses } from '../ir/graph.js';
import { hasSoleUser, infoOf, producedBy, rulePass } from './pass.js';

interface Match {
  readonly relu: Node & { op: OpOf<'relu'> };
  readonly pool: Node & { op: OpOf<'avgpool'> | OpOf<'maxpool'> };
}

function match(node: Node): Match | undefined {
  if (node.op.kind !== 'avgpool' && node.op.kind !== 'maxpool') return undefined;
  const relu = producedBy(node.inputs[0], 'relu');
  return relu ? { relu, pool: node as Match['pool'] } : undefined;
}

function check({ relu, pool }: Match, g: Graph): string | undefined {
  if (pool.op.kind !== 'maxpool') return 'the pool is an average pool, which does not commute with relu';
  if (!hasSoleUser(g, relu.output)) return 'the relu output has another user';
  return undefined;
}

function rewrite({ relu, pool }: Match, g: Graph): void {
  const at = g.nodes.indexOf(relu);
  const pooled = addNode(g, pool.op, [relu.inputs[0]], infoOf(pool), at);
  const activated = addNode(g, relu.op, [pooled.output], { ...infoOf(relu), stage: pool.stage }, at + 1);
  replaceAllUses(g, pool.output, activated.output);
  removeNode(g, pool);
  removeNode(g, relu);
}

export const maxpoolBeforeRelu = rulePass<Match>({ name: 'maxpool-before-relu', match, check, rewrite });
