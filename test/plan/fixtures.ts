// Small DenseNets built by hand with createGraph/addNode (torchvision's structure and scopes),
// in the forms lowering and the passes produce: one Concat of all earlier features per layer
// or a chain of two-input Concats, BN-ReLU-Conv as three nodes or fused, transitions with the
// pool after or before the conv, optional dropout. Weights are seeded.
import type { BnParams, ConvParams, Graph, Node, Op, Value } from '../../src/ir/graph.js';
import { addNode, createGraph } from '../../src/ir/graph.js';
import { noSpan } from '../../src/diagnostics/span.js';
import { initWeights } from '../../src/ir/weights.js';

export interface TinyOptions {
  readonly size?: number;
  readonly stem?: number;
  readonly blocks?: readonly number[];
  readonly growth?: number;
  /** Bottleneck channels, or 0 for none. */
  readonly bottleneck?: number;
  readonly concat?: 'all' | 'chain';
  readonly fused?: boolean;
  readonly poolFirst?: boolean;
  readonly dropout?: boolean;
  /** Head BN as a per-channel affine. */
  readonly affineHead?: boolean;
  readonly classes?: number;
  readonly seed?: number;
}

const tensor = (...shape: number[]) => ({ shape, data: undefined });
const bnParams = (c: number): BnParams => ({ eps: 1e-5, gamma: tensor(c), beta: tensor(c), mean: tensor(c), var: tensor(c) });
function convParams(cin: number, out: number, k: number, stride = 1, pad = Math.floor(k / 2), bias = false): ConvParams {
  return { kernel: [k, k], stride: [stride, stride], pad: [pad, pad], outChannels: out, weight: tensor(out, cin, k, k), bias: bias ? tensor(out) : undefined };
}

export function tinyDenseNet(o: TinyOptions = {}): Graph {
  const size = o.size ?? 16;
  const k = o.growth ?? 4;
  const blocks = o.blocks ?? [3, 2];
  const stages = ['convolution', 'pooling', ...blocks.flatMap((_, i) => (i === 0 ? [`dense_block_1`] : [`transition_${i}`, `dense_block_${i + 1}`])), 'classification'];
  const g = createGraph('tiny', [3, size, size], stages.map((name) => ({ name, label: name, span: noSpan })));
  let stage = 'convolution';
  const add = (op: Op, inputs: Value[], scope: string): Value => addNode(g, op, inputs, { span: noSpan, scope, stage }).output;
  const channels = (v: Value) => v.shape[0];
  /** BN-ReLU-Conv as three nodes or one. */
  const h = (x: Value, conv: ConvParams, scope: string, n: string): Value => {
    if (o.fused) return add({ kind: 'bnReluConv', bn: bnParams(channels(x)), conv }, [x], `${scope}.conv${n}`);
    const b = add({ kind: 'batchnorm', ...bnParams(channels(x)) }, [x], `${scope}.norm${n}`);
    const r = add({ kind: 'relu' }, [b], `${scope}.relu${n}`);
    return add({ kind: 'conv', ...conv }, [r], `${scope}.conv${n}`);
  };
  const drop = (x: Value, scope: string) => (o.dropout ? add({ kind: 'dropout', rate: 0.2 }, [x], scope) : x);

  let x = add({ kind: 'conv', ...convParams(3, o.stem ?? 8, 3, 1, 1, true) }, [g.input], 'features.conv0');
  x = add({ kind: 'batchnorm', ...bnParams(channels(x)) }, [x], 'features.norm0');
  x = add({ kind: 'relu' }, [x], 'features.relu0');
  stage = 'pooling';
  x = add({ kind: 'maxpool', kernel: [3, 3], stride: [2, 2], pad: [1, 1] }, [x], 'features.pool0');

  blocks.forEach((layers, bi) => {
    if (bi > 0) {
      stage = `transition_${bi}`;
      const scope = `features.transition${bi}`;
      const conv = convParams(channels(x), Math.floor(channels(x) / 2), 1, 1, 0);
      const pool: Op = { kind: 'avgpool', kernel: [2, 2], stride: [2, 2], pad: [0, 0] };
      if (o.poolFirst) {
        const b = add({ kind: 'batchnorm', ...bnParams(channels(x)) }, [x], `${scope}.norm`);
        const r = add({ kind: 'relu' }, [b], `${scope}.relu`);
        x = add({ kind: 'conv', ...conv }, [add(pool, [r], `${scope}.pool`)], `${scope}.conv`);
      } else x = add(pool, [drop(h(x, conv, scope, ''), `${scope}.dropout`)], `${scope}.pool`);
    }
    stage = `dense_block_${bi + 1}`;
    const features = [x];
    let chain = x;
    for (let l = 1; l <= layers; l++) {
      const scope = `features.denseblock${bi + 1}.denselayer${l}`;
      const input = o.concat === 'chain' ? chain : features.length === 1 ? features[0] : add({ kind: 'concat' }, [...features], `${scope}.cat`);
      let y = input;
      if (o.bottleneck) y = drop(h(y, convParams(channels(y), o.bottleneck, 1, 1, 0), scope, '1'), `${scope}.dropout1`);
      y = drop(h(y, convParams(channels(y), k, 3), scope, o.bottleneck ? '2' : '1'), `${scope}.dropout`);
      features.push(y);
      if (o.concat === 'chain') chain = add({ kind: 'concat' }, [chain, y], `${scope}.cat`);
    }
    x = o.concat === 'chain' ? chain : add({ kind: 'concat' }, features, `features.denseblock${bi + 1}.cat`);
  });

  stage = 'classification';
  x = o.affineHead ? add({ kind: 'affine', scale: tensor(channels(x)), shift: tensor(channels(x)) }, [x], 'features.norm5') : add({ kind: 'batchnorm', ...bnParams(channels(x)) }, [x], 'features.norm5');
  x = add({ kind: 'relu' }, [x], 'features.relu5');
  x = add({ kind: 'globalavgpool' }, [x], 'features.pool5');
  x = add({ kind: 'flatten' }, [x], 'flatten');
  const classes = o.classes ?? 10;
  x = add({ kind: 'linear', outFeatures: classes, weight: tensor(classes, channels(x)), bias: tensor(classes) }, [x], 'classifier');
  x = add({ kind: 'softmax' }, [x], 'softmax');
  g.output = x;
  initWeights(g, { seed: o.seed ?? 7, randomBnStats: true });
  return g;
}

export function nodeByScope(g: Graph, scope: string): Node {
  const n = g.nodes.find((m) => m.scope === scope);
  if (!n) throw new Error(`no node ${scope}`);
  return n;
}

/** Every form the planner must handle. */
export const forms: Record<string, TinyOptions> = {
  'all-concat, unfused, bottleneck': { bottleneck: 8 },
  'all-concat, no bottleneck, dropout': { dropout: true },
  'chain-concat, fused, pool first': { concat: 'chain', fused: true, poolFirst: true, bottleneck: 8 },
  'chain-concat, unfused, dropout, affine head': { concat: 'chain', dropout: true, affineHead: true, bottleneck: 8 },
};
