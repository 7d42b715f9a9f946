// The optimizing pipeline: the passes in the order they run, and which level runs which.
//   -O0  lowering only
//   -O1  exact folds: identities removed, BatchNorms folded into the convs before them
//   -O2  everything (the default): also reorders that save work, the composite fusion and
//        the chosen form of dense-block concatenation
// Every pass is exact up to float rounding; test/passes/ proves each one, and the whole
// pipeline against -O0 in onnxruntime.
//
// Looked at and left alone, because no exact rewrite saves work there:
// - the head, BN-ReLU-GlobalAvgPool-Linear: the ReLU stands between the BN and anything
//   linear; GAP and Linear do commute, but Linear first costs H*W times the MACs.
// - a dense layer's norm1 cannot fold into the convs that made its input: each feature map
//   feeds the BNs of every later layer of its block, each with its own statistics.
// - a transition's pool cannot move before its BN-ReLU (a mean does not commute with ReLU).
// - relu(s*x + t) = s*relu(x + t/s) for s > 0 would move a BN's scale into the next conv,
//   leaving a per-channel Add; onnxruntime already runs BN+ReLU as one depthwise conv, and both
//   the Mul+Add form and the Add+Relu form measured slower: onnxruntime's NCHWc layout has no
//   broadcast Add, so it reorders around each one (bench/RESULTS.md).
import type { Graph } from '../ir/graph.js';
import { graphCounts } from '../ir/counts.js';
import type { Pass, Refusal } from './pass.js';
import { removeIdentities } from './remove-identities.js';
import { foldBnIntoConv, foldBnIntoConvInPlace } from './fold-bn-into-conv.js';
import { poolBeforeConv } from './pool-before-conv.js';
import { maxpoolBeforeRelu } from './maxpool-before-relu.js';
import { fuseBnReluConv } from './fuse-bn-relu-conv.js';
import { chainConcat } from './chain-concat.js';
import { splitBottleneck, splitBottleneckAll, splitBottleneckAllReleasing, splitBottleneckReleasing } from './split-bottleneck.js';
import { splitBlockOutput } from './split-block-output.js';

export type OptLevel = 0 | 1 | 2;

export type ConcatForm = 'all' | 'chain' | 'none';

export const concatForms: readonly ConcatForm[] = ['all', 'chain', 'none'];

export interface OptimizeOptions {
  /**
   * How dense blocks concatenate: one Concat of all earlier features per layer, a chain of
   * two-input Concats (split where it pays), or none (every bottleneck and block output split
   * over its parts: the least activation memory in onnxruntime, slower).
   */
  readonly concat?: ConcatForm;
  /** Keep every stage's output value (the verifier's build exposes them as graph outputs). */
  readonly keepStageOutputs?: boolean;
  /**
   * The caller gives up the input graph's weights: folds write into their arrays and the split
   * passes drop a weight once its slices exist, so a model's weights are in memory once. The
   * input graph must not be read (nor emitted) afterwards. Same output bytes.
   */
  readonly consumeWeights?: boolean;
}

/** The form `optimize` uses when none is asked for: the faster in onnxruntime (see bench/RESULTS.md). */
export const defaultConcat: ConcatForm = 'chain';

/** Counts of a graph at one point of the pipeline, for `--explain`. */
export interface GraphFigures {
  readonly nodes: number;
  readonly macs: number;
  readonly learnable: number;
}

export interface PassRecord {
  readonly name: string;
  readonly changed: boolean;
  readonly before: GraphFigures;
  readonly after: GraphFigures;
  /** Where the pass matched but refused, and why. */
  readonly refusals: readonly Refusal[];
}

/** The passes of a level, in order. */
export function passesFor(level: OptLevel, options: OptimizeOptions = {}): readonly Pass[] {
  if (level === 0) return [];
  const exactFolds = [
    removeIdentities, //  Dropout, 1-input Concat, 1x1/1 pools -> their input
    options.consumeWeights ? foldBnIntoConvInPlace : foldBnIntoConv, // Conv -> BN -> Conv with scaled weights and a bias
  ];
  if (level === 1) return exactFolds;
  const concat = options.concat ?? defaultConcat;
  return [
    ...exactFolds,
    poolBeforeConv, //    Conv1x1 -> AvgPool   -> AvgPool -> Conv1x1 (transitions)
    maxpoolBeforeRelu, // ReLU -> MaxPool      -> MaxPool -> ReLU (the stem)
    fuseBnReluConv, //    BN -> ReLU -> Conv   -> bnReluConv (the composite H)
    ...(concat === 'chain'
      ? [
          chainConcat, //      Concat(x0..f(l-1)) -> Concat(x(l-1), f(l-1))
          options.consumeWeights ? splitBottleneckReleasing : splitBottleneck, // H(Concat(p1..pk)) -> H1(p1) + ... + Hk(pk), k <= 3
          splitBlockOutput(options.keepStageOutputs, options.consumeWeights), // Conv1x1(Pool(ReLU(BN(Concat(p1..pk))))) -> sum of parts (transitions, head)
        ]
      : concat === 'none'
        ? [
            options.consumeWeights ? splitBottleneckAllReleasing : splitBottleneckAll, // H(Concat(x0..f(l-1))) -> H0(x0) + ... + H(l-1)(f(l-1))
            splitBlockOutput(options.keepStageOutputs, options.consumeWeights),
          ]
        : []),
  ];
}

export function figures(g: Graph): GraphFigures {
  const { total } = graphCounts(g);
  return { nodes: g.nodes.length, macs: total.macs, learnable: total.learnable };
}

export function optimize(graph: Graph, level: OptLevel, options: OptimizeOptions = {}): { graph: Graph; log: PassRecord[] } {
  const log: PassRecord[] = [];
  let g = graph;
  let before = figures(g); // each pass's `after` is the next one's `before`: counted once
  for (const pass of passesFor(level, options)) {
    const result = pass.run(g);
    g = result.graph;
    const after = result.changed ? figures(g) : before;
    log.push({ name: pass.name, changed: result.changed, before, after, refusals: result.refusals });
    before = after;
  }
  return { graph: g, log };
}
