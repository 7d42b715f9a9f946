// A dense layer's bottleneck split over the parts of its input, so that the concat it reads is
// never materialised:
//   y = bnReluConv(Concat(p1, ..., pk))  ==>  y = bnReluConv_1(p1) + ... + bnReluConv_k(pk)
// and every later Concat that read Concat(p1, ..., pk) reads p1, ..., pk in its place.
// Exact: BN and ReLU act per channel, so they split with the channels; a conv (one group) is a
// sum over its input channels, so it is the sum of the convs on each channel range, each with
// its slice of the weight [out, in_i, kh, kw]; zero padding pads each part alike. The bias is
// added once, by the first part. Only float rounding differs (the order of the sums).
// Why: with the chain of two-input Concats every layer copies all earlier channels once more.
// Splitting layers whose Concat has at most `maxParts` inputs leaves every third link of the
// chain materialised (Concat(x, f1, f2, f3)), a third of the copies; onnxruntime's NCHWc
// transformer fuses each Add into the conv before it (the conv's Sum input), so the sum is
// free. Measured in bench/RESULTS.md: about 3% faster than the chain on densenet121.
// `splitBottleneckAll` splits every layer's composite whatever its parts and kernel (the `none`
// concat form, one Concat of all earlier features per layer before it; a kxk conv splits as a
// 1x1 does): no Concat inside a block is materialised, which lowers onnxruntime's activation
// peak (bench/RESULTS.md) at some cost in speed.
// Refuses when: the conv is not 1x1 (a split kxk conv was not measured for speed), the Concat has more
// than the pass's limit of inputs (it is materialised: the next links read it), the Concat output has a
// user that is not a Concat or is the graph output (that user needs it whole), or the Concat is
// the output of its stage (a block's output: split-block-output splits it where it is read).
// The parts take the scope `<conv scope>.part<i>` and the conv's stage. `splitBottleneckReleasing`
// drops the whole weight's data once its slices exist, regrouped in its own buffer
// (OptimizeOptions.consumeWeights).
import type { Graph, Node, OpOf, Tensor, Value } from '../ir/graph.js';
import { addNode, removeNode, replaceAllUses, stageOutput } from '../ir/graph.js';
import { channelBounds, infoOf, isPair, producedBy, rulePass, setInputs, sliceRows, splitColumns } from './pass.js';

/** The most inputs a Concat may have and still be split over (measured best: 3). */
export const maxParts = 3;

interface Match {
  readonly fused: Node & { op: OpOf<'bnReluConv'> };
  readonly concat: Node & { op: OpOf<'concat'> };
}

function match(node: Node): Match | undefined {
  if (node.op.kind !== 'bnReluConv') return undefined;
  const concat = producedBy(node.inputs[0], 'concat');
  return concat ? { fused: node as Match['fused'], concat } : undefined;
}

function check(limit: number, anyKernel: boolean) {
  return ({ fused, concat }: Match, g: Graph): string | undefined => {
    const k = fused.op.conv.kernel;
    if (!anyKernel && !isPair(k, 1)) return `the conv is ${k[0]}x${k[1]}, not 1x1`;
    if (concat.inputs.length > limit) return `the concat has ${concat.inputs.length} inputs, more than ${limit}: it stays materialised`;
    if (g.output === concat.output || concat.output.users.some((u) => u !== fused && u.op.kind !== 'concat')) return 'the concat output has a user that is not a concat';
    if (stageOutput(g, concat.stage) === concat.output) return 'the concat is the output of its stage';
    return undefined;
  };
}


/** The BN-ReLU-conv of channels [c0, c1) of the fused node's input, with that part's weight. */
function part(op: OpOf<'bnReluConv'>, c0: number, c1: number, weight: Tensor, withBias: boolean): OpOf<'bnReluConv'> {
  const channels = (t: Tensor): Tensor => sliceRows(t, 1, c0, c1, [c1 - c0]);
  return {
    kind: 'bnReluConv',
    bn: { eps: op.bn.eps, gamma: channels(op.bn.gamma), beta: channels(op.bn.beta), mean: channels(op.bn.mean), var: channels(op.bn.var) },
    conv: { ...op.conv, weight, bias: withBias ? op.conv.bias : undefined },
  };
}

function rewrite(release: boolean) {
  return (m: Match, g: Graph): void => {
    const weight = m.fused.op.conv.weight;
    split(m, g, release);
    if (release) weight.data = undefined;
  };
}

function split({ fused, concat }: Match, g: Graph, release: boolean): void {
  const info = infoOf(fused);
  const { weight, outChannels, kernel } = fused.op.conv;
  const area = kernel[0] * kernel[1];
  const bounds = channelBounds(concat.inputs);
  const weights = splitColumns(weight, outChannels, bounds.map((b) => b * area), concat.inputs.map((p) => [outChannels, p.shape[0], kernel[0], kernel[1]]), release);
  let at = g.nodes.indexOf(fused);
  let sum: Value | undefined;
  concat.inputs.forEach((p, i) => {
    const op = part(fused.op, bounds[i], bounds[i + 1], weights[i], i === 0);
    const y = addNode(g, op, [p], { ...info, scope: `${info.scope}.part${i}` }, at++).output;
    sum = sum === undefined ? y : addNode(g, { kind: 'add' }, [sum, y], { ...info, scope: `${info.scope}.add${i}` }, at++).output;
  });
  replaceAllUses(g, fused.output, sum!);
  removeNode(g, fused);
  for (const user of [...concat.output.users]) setInputs(user, user.inputs.flatMap((v) => (v === concat.output ? concat.inputs : [v])));
  removeNode(g, concat);
}

export const splitBottleneck = rulePass<Match>({ name: 'split-bottleneck', match, check: check(maxParts, false), rewrite: rewrite(false) });
export const splitBottleneckReleasing = rulePass<Match>({ name: 'split-bottleneck', match, check: check(maxParts, false), rewrite: rewrite(true) });
export const splitBottleneckAll = rulePass<Match>({ name: 'split-bottleneck-all', match, check: check(Infinity, true), rewrite: rewrite(false) });
export const splitBottleneckAllReleasing = rulePass<Match>({ name: 'split-bottleneck-all', match, check: check(Infinity, true), rewrite: rewrite(true) });
