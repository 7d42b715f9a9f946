// Graphs built by hand with createGraph/addNode, covering every op kind, for emission tests that
// do not depend on the front end.
import { span } from '../../src/diagnostics/span.js';
import { addNode, createGraph, type BnParams, type ConvParams, type Graph, type Tensor } from '../../src/ir/graph.js';
import { initWeights } from '../../src/ir/weights.js';

const info = (scope: string, stage: string) => ({ span: span('hand.dense', 0, 1), scope, stage });
const t = (...shape: number[]): Tensor => ({ shape, data: undefined });
const bnOf = (c: number): BnParams => ({ eps: 1e-5, gamma: t(c), beta: t(c), mean: t(c), var: t(c) });
const convOf = (inC: number, out: number, k: number, stride = 1, pad = Math.floor(k / 2), bias = false): ConvParams => ({
  kernel: [k, k], stride: [stride, stride], pad: [pad, pad], outChannels: out, weight: t(out, inC, k, k), bias: bias ? t(out) : undefined,
});

const stages = ['convolution', 'pooling', 'dense_block_1', 'transition_1', 'classification'].map((name) => ({ name, label: name, span: span('hand.dense', 0, 1) }));

/**
 * Every op kind: conv (with bias), batchnorm, relu, maxpool, a dense block of two layers (concat,
 * bnReluConv, affine, dropout), a transition (avgpool), and the head (globalavgpool, flatten,
 * linear, softmax). Weights seeded; BN statistics random so that BN is not an identity.
 */
export function everyOp(size = 12, seed = 7): Graph {
  const g = createGraph('every_op', [3, size, size], stages);
  let x = addNode(g, { kind: 'conv', ...convOf(3, 8, 3, 2, 1, true) }, [g.input], info('features.conv0', 'convolution')).output;
  x = addNode(g, { kind: 'batchnorm', ...bnOf(8) }, [x], info('features.norm0', 'convolution')).output;
  x = addNode(g, { kind: 'relu' }, [x], info('features.relu0', 'convolution')).output;
  x = addNode(g, { kind: 'maxpool', kernel: [3, 3], stride: [2, 2], pad: [1, 1] }, [x], info('features.pool0', 'pooling')).output;
  const f1 = addNode(g, { kind: 'bnReluConv', bn: bnOf(8), conv: convOf(8, 4, 3) }, [x], info('features.denseblock1.denselayer1.conv1', 'dense_block_1')).output;
  const d1 = addNode(g, { kind: 'dropout', rate: 0.2 }, [f1], info('features.denseblock1.denselayer1.dropout', 'dense_block_1')).output;
  const c1 = addNode(g, { kind: 'concat' }, [x, d1], info('features.denseblock1.denselayer2.concat', 'dense_block_1')).output;
  const a = addNode(g, { kind: 'affine', scale: t(12), shift: t(12) }, [c1], info('features.denseblock1.denselayer2.affine', 'dense_block_1')).output;
  const r = addNode(g, { kind: 'relu' }, [a], info('features.denseblock1.denselayer2.relu1', 'dense_block_1')).output;
  const f2 = addNode(g, { kind: 'conv', ...convOf(12, 4, 1) }, [r], info('features.denseblock1.denselayer2.conv1', 'dense_block_1')).output;
  x = addNode(g, { kind: 'concat' }, [x, d1, f2], info('features.denseblock1', 'dense_block_1')).output;
  x = addNode(g, { kind: 'batchnorm', ...bnOf(16) }, [x], info('features.transition1.norm', 'transition_1')).output;
  x = addNode(g, { kind: 'relu' }, [x], info('features.transition1.relu', 'transition_1')).output;
  x = addNode(g, { kind: 'conv', ...convOf(16, 8, 1) }, [x], info('features.transition1.conv', 'transition_1')).output;
  x = addNode(g, { kind: 'avgpool', kernel: [2, 2], stride: [2, 2], pad: [0, 0] }, [x], info('features.transition1.pool', 'transition_1')).output;
  x = addNode(g, { kind: 'globalavgpool' }, [x], info('features.pool5', 'classification')).output;
  x = addNode(g, { kind: 'flatten' }, [x], info('flatten', 'classification')).output;
  x = addNode(g, { kind: 'linear', outFeatures: 5, weight: t(5, 8), bias: t(5) }, [x], info('classifier', 'classification')).output;
  x = addNode(g, { kind: 'softmax' }, [x], info('softmax', 'classification')).output;
  g.output = x;
  initWeights(g, { seed, randomBnStats: true });
  return g;
}

/** conv -> avgpool 3x3 pad 1 (padding counted) -> linear straight on [C, 1, 1]-less map, no softmax. */
export function paddedPoolLinear(seed = 3): Graph {
  const g = createGraph('padded', [2, 5, 5], []);
  let x = addNode(g, { kind: 'conv', ...convOf(2, 3, 3) }, [g.input], info('features.conv0', 'convolution')).output;
  x = addNode(g, { kind: 'avgpool', kernel: [3, 3], stride: [2, 2], pad: [1, 1] }, [x], info('features.pool0', 'pooling')).output;
  x = addNode(g, { kind: 'linear', outFeatures: 4, weight: t(4, 27), bias: t(4) }, [x], info('classifier', 'classification')).output;
  g.output = x;
  initWeights(g, { seed, randomBnStats: true });
  return g;
}
