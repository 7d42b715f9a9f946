// Pool before conv in transitions: BN-ReLU-Conv1x1-AvgPool -> BN-ReLU-AvgPool-Conv1x1.
// Exact: a 1x1 conv with stride 1 and no padding is the same linear map y = W x + b at every
// pixel, and an unpadded average pool takes means of pixels; means commute with linear maps,
// and the mean of a constant bias is the bias. The conv then runs on 1/(sh*sw) of the pixels
// (a quarter for DenseNet's 2x2/2 pool). Only float rounding differs.
// Refuses when: the pool is not an average pool, the pool pads (padded pixels would not pass
// through the conv's bias), the conv is not 1x1 / stride 1 / pad 0, or the conv's output has
// another user (it would need the unpooled map as well), or the two are in different stages (a
// stem's conv then pool: the conv's stage output would become the pooled map).
// Both nodes keep their scope and stage; the conv now comes last, so a stage that ended with
// the pool (a transition) still ends with the same value.
import type { Graph, Node, OpOf } from '../ir/graph.js';
import { addNode, removeNode, replaceAllUses } from '../ir/graph.js';
import { hasSoleUser, infoOf, isPair, producedBy, rulePass } from './pass.js';

interface Match {
  readonly conv: Node & { op: OpOf<'conv'> };
  readonly pool: Node & { op: OpOf<'avgpool'> | OpOf<'maxpool'> };
}

function match(node: Node): Match | undefined {
  if (node.op.kind !== 'avgpool' && node.op.kind !== 'maxpool') return undefined;
  const conv = producedBy(node.inputs[0], 'conv');
  return conv ? { conv, pool: node as Match['pool'] } : undefined;
}

function check({ conv, pool }: Match, g: Graph): string | undefined {
  const c = conv.op;
  if (pool.op.kind !== 'avgpool') return 'the pool is a max pool, which does not commute with a conv';
  if (!isPair(pool.op.pad, 0)) return 'the pool pads its input';
  if (!isPair(c.kernel, 1)) return `the conv is ${c.kernel[0]}x${c.kernel[1]}, not 1x1`;
  if (!isPair(c.stride, 1)) return `the conv has stride ${c.stride[0]}x${c.stride[1]}`;
  if (!isPair(c.pad, 0)) return 'the conv pads its input';
  if (!hasSoleUser(g, conv.output)) return 'the conv output has another user';
  if (conv.stage !== pool.stage) return `the conv ends stage \`${conv.stage}\` and the pool is in \`${pool.stage}\`: that stage's output would change`;
  return undefined;
}

function rewrite({ conv, pool }: Match, g: Graph): void {
  const at = g.nodes.indexOf(conv);
  const pooled = addNode(g, pool.op, [conv.inputs[0]], infoOf(pool), at);
  const mapped = addNode(g, conv.op, [pooled.output], infoOf(conv), at + 1);
  replaceAllUses(g, pool.output, mapped.output);
  removeNode(g, pool);
  removeNode(g, conv);
}

export const poolBeforeConv = rulePass<Match>({ name: 'pool-before-conv', match, check, rewrite });
