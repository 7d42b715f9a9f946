// Lowering of hand-built ModelSpecs: torchvision's structure, scopes, stages and spans.
import { describe, expect, test } from 'vitest';
import type { ModelSpec, SpecLayer } from '../../src/check/spec.js';
import type { Graph, Node } from '../../src/ir/graph.js';
import { checkInvariants } from '../../src/ir/invariants.js';
import { BN_EPS, lower } from '../../src/ir/lower.js';
import { paramTensors } from '../../src/ir/counts.js';
import { at, dense, head, imagenet, model } from './handmade.js';

function lowered(spec: ModelSpec): Graph {
  const { graph, diagnostics } = lower(spec);
  expect(diagnostics).toEqual([]);
  expect(checkInvariants(graph!)).toEqual([]);
  return graph!;
}

const byScope = (g: Graph, scope: string): Node => {
  const n = g.nodes.find((x) => x.scope === scope);
  if (!n) throw new Error(`no node \`${scope}\``);
  return n;
};

const conv3: SpecLayer = { kind: 'conv', kernel: [3, 3], stride: [1, 1], pad: [1, 1], out: 16, bias: false, span: at(10) };

describe('lower', () => {
  test('names nodes by torchvision module paths', () => {
    const g = lowered(imagenet([2, 2]));
    expect(g.nodes.map((n) => n.scope)).toEqual([
      'features.conv0', 'features.norm0', 'features.relu0', 'features.pool0',
      ...['norm1', 'relu1', 'conv1', 'norm2', 'relu2', 'conv2'].map((m) => `features.denseblock1.denselayer1.${m}`),
      ...['concat', 'norm1', 'relu1', 'conv1', 'norm2', 'relu2', 'conv2'].map((m) => `features.denseblock1.denselayer2.${m}`),
      'features.denseblock1.concat',
      ...['norm', 'relu', 'conv', 'pool'].map((m) => `features.transition1.${m}`),
      ...['norm1', 'relu1', 'conv1', 'norm2', 'relu2', 'conv2'].map((m) => `features.denseblock2.denselayer1.${m}`),
      ...['concat', 'norm1', 'relu1', 'conv1', 'norm2', 'relu2', 'conv2'].map((m) => `features.denseblock2.denselayer2.${m}`),
      'features.denseblock2.concat',
      'features.norm5', 'features.relu5', 'features.pool5', 'flatten', 'classifier', 'softmax',
    ]);
  });

  test('concatenates all earlier features once per layer, and all of them at the block end', () => {
    const g = lowered(imagenet([5]));
    const x0 = byScope(g, 'features.pool0').output;
    const conv2 = (l: number) => byScope(g, `features.denseblock1.denselayer${l}.conv2`).output;
    for (let l = 2; l <= 5; l++) {
      const concat = byScope(g, `features.denseblock1.denselayer${l}.concat`);
      expect(concat.inputs).toEqual([x0, ...Array.from({ length: l - 1 }, (_, i) => conv2(i + 1))]);
      expect(byScope(g, `features.denseblock1.denselayer${l}.norm1`).inputs).toEqual([concat.output]);
    }
    expect(byScope(g, 'features.denseblock1.denselayer1.norm1').inputs).toEqual([x0]);
    expect(byScope(g, 'features.denseblock1.concat').inputs).toEqual([x0, conv2(1), conv2(2), conv2(3), conv2(4), conv2(5)]);
    expect(byScope(g, 'features.denseblock1.concat').output.shape).toEqual([64 + 5 * 32, 56, 56]);
  });

  test('makes bottleneck layers 1x1 to the bottleneck width, then 3x3 pad 1 to the growth rate', () => {
    const g = lowered(imagenet([1], 12));
    const c1 = byScope(g, 'features.denseblock1.denselayer1.conv1').op;
    const c2 = byScope(g, 'features.denseblock1.denselayer1.conv2').op;
    expect(c1).toMatchObject({ kind: 'conv', kernel: [1, 1], stride: [1, 1], pad: [0, 0], outChannels: 48, bias: undefined });
    expect(c2).toMatchObject({ kind: 'conv', kernel: [3, 3], stride: [1, 1], pad: [1, 1], outChannels: 12, bias: undefined });
  });

  test('makes layers without a bottleneck a single BN-ReLU-conv 3x3', () => {
    const g = lowered(model('plain', [3, 32, 32], [conv3, ...dense({ blocks: [3, 3], growth: 12, compression: 1 }), ...head(10)]));
    const layer = g.nodes.filter((n) => n.scope.startsWith('features.denseblock1.denselayer1.')).map((n) => n.op.kind);
    expect(layer).toEqual(['batchnorm', 'relu', 'conv']);
    expect(byScope(g, 'features.denseblock1.denselayer1.conv1').output.shape).toEqual([12, 32, 32]);
    expect(byScope(g, 'features.transition1.conv').output.shape).toEqual([16 + 36, 32, 32]);
  });

  test('puts dropout after each conv of a block and transition when its rate is above 0', () => {
    const layers = [conv3, ...dense({ blocks: [2, 2], growth: 4, bottleneck: 16, compression: 0.5, dropout: 0.2 }), ...head(10)];
    const g = lowered(model('drop', [3, 8, 8], layers));
    for (const n of g.nodes.filter((x) => x.op.kind === 'conv' && x.stage !== 'convolution')) {
      expect(n.output.users.map((u) => u.op)).toEqual([{ kind: 'dropout', rate: 0.2 }]);
    }
    expect(byScope(g, 'features.transition1.dropout').output.users.map((u) => u.scope)).toEqual(['features.transition1.pool']);
    expect(lowered(imagenet([2, 2])).nodes.some((n) => n.op.kind === 'dropout')).toBe(false);
  });

  test('keeps floor(theta * m) channels in a transition, exactly for decimal thetas', () => {
    const spec = (stem: number, compression: number) =>
      model('t', [3, 8, 8], [{ ...conv3, out: stem }, ...dense({ blocks: [1, 1], growth: 1, compression }), ...head(10)]);
    expect(byScope(lowered(spec(30, 0.5)), 'features.transition1.conv').output.shape[0]).toBe(15);
    expect(byScope(lowered(spec(99, 0.29)), 'features.transition1.conv').output.shape[0]).toBe(29);
    expect(byScope(lowered(spec(9, 1)), 'features.transition1.conv').output.shape[0]).toBe(10);
  });

  test('halves the feature map in each transition with a 2x2 average pool', () => {
    const pool = byScope(lowered(imagenet([1, 1])), 'features.transition1.pool');
    expect(pool.op).toEqual({ kind: 'avgpool', kernel: [2, 2], stride: [2, 2], pad: [0, 0] });
    expect(pool.output.shape).toEqual([48, 28, 28]);
  });

  test('flattens a pooled map before `linear`', () => {
    const g = lowered(imagenet([1]));
    const linear = byScope(g, 'classifier');
    expect(linear.inputs[0].producer?.op.kind).toBe('flatten');
    expect(linear.inputs[0].shape).toEqual([96]);
    expect(paramTensors(linear.op).map((p) => p.tensor.shape)).toEqual([[1000, 96], [1000]]);
    expect(g.output.shape).toEqual([1000]);
  });

  test('gives parameter tensors shapes and no data, and BatchNorm eps 1e-5', () => {
    const g = lowered(imagenet([2]));
    expect(BN_EPS).toBe(1e-5);
    for (const n of g.nodes) {
      for (const p of paramTensors(n.op)) expect(p.tensor.data).toBeUndefined();
      if (n.op.kind === 'batchnorm') expect(n.op.eps).toBe(1e-5);
    }
    expect(paramTensors(byScope(g, 'features.conv0').op).map((p) => p.tensor.shape)).toEqual([[64, 3, 7, 7]]);
  });

  test('keeps the span of the statement that made each node', () => {
    const g = lowered(imagenet([1, 1]));
    expect(byScope(g, 'features.conv0').span).toEqual(at(10));
    expect(byScope(g, 'features.pool0').span).toEqual(at(13));
    expect(g.nodes.filter((n) => n.stage.startsWith('dense_block') || n.stage.startsWith('transition')).every((n) => n.span.start === 100)).toBe(true);
    expect(byScope(g, 'flatten').span).toEqual(at(203));
    expect(byScope(g, 'classifier').span).toEqual(at(203));
  });

  test('makes repeated scopes unique', () => {
    const g = lowered(model('stem3', [3, 32, 32], [conv3, { kind: 'bn', span: at(1) }, conv3, { kind: 'bn', span: at(2) }, ...head(10)]));
    expect(g.nodes.slice(0, 4).map((n) => n.scope)).toEqual(['features.conv0', 'features.norm0', 'features.conv0_2', 'features.norm0_2']);
  });
});

describe('stages', () => {
  const stageNames = (g: Graph) => g.stages.map((s) => s.name);

  test('follow Table 1, with its labels', () => {
    const g = lowered(imagenet([1, 1, 1, 1]));
    expect(g.stages.map((s) => s.label)).toEqual([
      'Convolution', 'Pooling',
      'Dense Block (1)', 'Transition Layer (1)', 'Dense Block (2)', 'Transition Layer (2)',
      'Dense Block (3)', 'Transition Layer (3)', 'Dense Block (4)', 'Classification Layer',
    ]);
    expect(stageNames(g)).toEqual([
      'convolution', 'pooling', 'dense_block_1', 'transition_1', 'dense_block_2', 'transition_2',
      'dense_block_3', 'transition_3', 'dense_block_4', 'classification',
    ]);
  });

  test('have no pooling stage when the stem does not pool (CIFAR)', () => {
    const g = lowered(model('c', [3, 32, 32], [conv3, ...dense({ blocks: [1, 1, 1], growth: 12, compression: 1 }), ...head(10)]));
    expect(stageNames(g)).toEqual(['convolution', 'dense_block_1', 'transition_1', 'dense_block_2', 'transition_2', 'dense_block_3', 'classification']);
  });

  test('start the classification layer at the first global pool, linear or softmax of a model without dense blocks', () => {
    const pool: SpecLayer = { kind: 'maxpool', kernel: [2, 2], stride: [2, 2], pad: [0, 0], span: at(3) };
    const g = lowered(model('plain', [3, 32, 32], [conv3, { kind: 'relu', span: at(2) }, pool, { kind: 'relu', span: at(4) }, ...head(10)]));
    // conv, relu | maxpool, relu, (head:) bn, relu | avgpool global, flatten, linear, softmax
    expect(g.nodes.map((n) => n.stage)).toEqual(['convolution', 'convolution', ...Array(4).fill('pooling'), ...Array(4).fill('classification')]);
  });

  test('give loose layers between blocks the stage before them', () => {
    const [b1, t1, b2] = dense({ blocks: [1, 1], growth: 4, compression: 0.5 });
    const g = lowered(model('loose', [3, 8, 8], [conv3, b1, { kind: 'relu', span: at(5) }, t1, { kind: 'bn', span: at(6) }, b2, ...head(10)]));
    expect(byScope(g, 'features.denseblock1.relu').stage).toBe('dense_block_1');
    expect(byScope(g, 'features.transition1.norm_2').stage).toBe('transition_1');
  });
});
