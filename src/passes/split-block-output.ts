// A dense block's output split over its parts where the transition or the head reads it, so that
// the block's final Concat is never materialised:
//   Conv1x1(AvgPool(ReLU(BN(Concat(p1..pk)))))       ==>  sum_i Conv1x1_i(AvgPool(ReLU(BN_i(p_i))))
//   Linear(Flatten(GAP(ReLU(BN(Concat(p1..pk))))))   ==>  sum_i Linear_i(Flatten(GAP(ReLU(BN_i(p_i)))))
// Exact: BN, ReLU, pools and Flatten act on each channel alone (Flatten keeps channel-major order,
// so channel c holds the inputs c*a .. (c+1)*a - 1 of the Linear, a = elements per channel); a
// 1x1 conv or a Linear is a sum over its inputs, so it is the sum of the maps on each range, each
// with its slice of the weight. The bias is added once, by the first part. Only float rounding
// differs (the order of the sums).
// Why: after split-bottleneck the block's output Concat (at most maxParts + 1 inputs) is the one
// concat left per block that copies every channel; onnxruntime fuses each Add into the conv
// before it. Measured in bench/RESULTS.md: 3-6% faster than -O2 without it on densenet121.
// Refuses when: the chain after the BN does not end in a 1x1 conv or a Linear, a value along the
// chain (or the Concat output) has another user (it would be needed whole), the chain spans more
// than one stage, or the Concat is its stage's output and the build keeps stage outputs (the
// verifier's build exposes every stage output: see emit/build.ts).
// Each part's node takes the scope `<scope>.part<i>` and the stage of the node it comes from.
import type { Graph, Node, Op, OpOf, Tensor, Value } from '../ir/graph.js';
import { addNode, elementCount, removeNode, replaceAllUses, stageOutput } from '../ir/graph.js';
import type { Pass } from './pass.js';
import { channelBounds, infoOf, isPair, producedBy, rulePass, sliceRows, splitColumns } from './pass.js';

/** The ops between the BN and the map that act on each channel alone. */
const perChannel: ReadonlySet<Op['kind']> = new Set(['relu', 'avgpool', 'maxpool', 'globalavgpool', 'flatten']);

interface Match {
  readonly concat: Node & { op: OpOf<'concat'> };
  readonly bn: Node & { op: OpOf<'batchnorm'> };
  /** The per-channel nodes after the BN, in order. */
  readonly between: readonly Node[];
  /** The node after them (the map to split when it is a 1x1 conv or a Linear). */
  readonly end: Node | undefined;
}

function match(node: Node): Match | undefined {
  if (node.op.kind !== 'batchnorm') return undefined;
  const concat = producedBy(node.inputs[0], 'concat');
  if (!concat) return undefined;
  const between: Node[] = [];
  let next: Node | undefined = node.output.users[0];
  while (next !== undefined && perChannel.has(next.op.kind)) {
    between.push(next);
    next = next.output.users[0];
  }
  return { concat, bn: node as Match['bn'], between, end: next };
}

function check(keepStageOutputs: boolean) {
  return ({ concat, bn, between, end }: Match, g: Graph): string | undefined => {
    if (end === undefined || (end.op.kind !== 'conv' && end.op.kind !== 'linear')) return `the chain after the batchnorm ends in ${end ? end.op.kind : 'nothing'}, not a conv or linear`;
    if (end.op.kind === 'conv' && !isPair(end.op.kernel, 1)) return `the conv is ${end.op.kernel[0]}x${end.op.kernel[1]}, not 1x1`;
    if (concat.output.users.length !== 1 || g.output === concat.output) return 'the concat output has another user: it stays materialised';
    for (const n of [bn, ...between]) if (n.output.users.length !== 1 || g.output === n.output) return `the ${n.op.kind} output has another user`;
    if ([...between, end].some((n) => n.stage !== bn.stage)) return 'the chain spans more than one stage';
    if (keepStageOutputs && stageOutput(g, concat.stage) === concat.output) return 'the concat is the output of its stage, which this build keeps';
    return undefined;
  };
}


function bnPart(op: OpOf<'batchnorm'>, c0: number, c1: number): Op {
  const ch = (t: Tensor): Tensor => sliceRows(t, 1, c0, c1, [c1 - c0]);
  return { kind: 'batchnorm', eps: op.eps, gamma: ch(op.gamma), beta: ch(op.beta), mean: ch(op.mean), var: ch(op.var) };
}

/**
 * The map's parts, one per input of the concat (channels [bounds[i], bounds[i + 1])): a 1x1
 * conv's weight has one column per channel, a linear's `perCh` (the pooled map's elements per
 * channel at its input).
 */
function mapParts(op: OpOf<'conv'> | OpOf<'linear'>, bounds: readonly number[], perCh: number, release: boolean): Op[] {
  const rows = op.kind === 'conv' ? op.outChannels : op.outFeatures;
  const columns = op.kind === 'conv' ? 1 : perCh;
  const widths = bounds.slice(1).map((b, i) => b - bounds[i]);
  const shapes = widths.map((n) => (op.kind === 'conv' ? [rows, n, 1, 1] : [rows, n * perCh]));
  const weights = splitColumns(op.weight, rows, bounds.map((b) => b * columns), shapes, release);
  return weights.map((weight, i) => ({ ...op, weight, bias: i === 0 ? op.bias : undefined }));
}

function rewrite(release: boolean) {
  return (m: Match, g: Graph): void => {
    const map = m.end as Node & { op: OpOf<'conv'> | OpOf<'linear'> };
    const weight = map.op.weight;
    split(m, g, release);
    if (release) weight.data = undefined;
  };
}

function split({ concat, bn, between, end }: Match, g: Graph, release: boolean): void {
  const map = end as Node & { op: OpOf<'conv'> | OpOf<'linear'> };
  const channels = concat.output.shape[0];
  const perCh = elementCount(map.inputs[0].shape) / channels;
  const part = (n: Node, i: number) => ({ ...infoOf(n), scope: `${n.scope}.part${i}` });
  const bounds = channelBounds(concat.inputs);
  const maps = mapParts(map.op, bounds, perCh, release);
  let at = g.nodes.indexOf(bn);
  let sum: Value | undefined;
  concat.inputs.forEach((p, i) => {
    let x = addNode(g, bnPart(bn.op, bounds[i], bounds[i + 1]), [p], part(bn, i), at++).output;
    for (const n of between) x = addNode(g, n.op, [x], part(n, i), at++).output;
    const y = addNode(g, maps[i], [x], part(map, i), at++).output;
    sum = sum === undefined ? y : addNode(g, { kind: 'add' }, [sum, y], { ...infoOf(map), scope: `${map.scope}.add${i}` }, at++).output;
  });
  replaceAllUses(g, map.output, sum!);
  for (const n of [map, ...[...between].reverse(), bn, concat]) removeNode(g, n);
}

/**
 * The pass; with `keepStageOutputs` it leaves a Concat that is its stage's output alone, with
 * `release` it drops the split map's whole weight once its slices exist (consumeWeights).
 */
export function splitBlockOutput(keepStageOutputs = false, release = false): Pass {
  return rulePass<Match>({ name: 'split-block-output', match, check: check(keepStageOutputs), rewrite: rewrite(release) });
}
