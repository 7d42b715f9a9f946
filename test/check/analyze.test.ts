import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BlockSpec, SpecLayer, TransitionSpec } from '../../src/check/spec.js';
import { dirname, join } from '../../src/check/paths.js';
import { analyze } from '../../src/check/analyze.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { check, codes, model, readSpec } from './helpers.js';

const specFile = (path: string) => analyze(new SourceFile(path, readFileSync(path, 'utf8')), readSpec);
const blocks = (layers: readonly SpecLayer[]) => layers.filter((l): l is BlockSpec => l.kind === 'block');
const transitions = (layers: readonly SpecLayer[]) => layers.filter((l): l is TransitionSpec => l.kind === 'transition');

describe('analyze', () => {
  it('elaborates DenseNet-121 from the ImageNet family (Table 1)', () => {
    const r = specFile('specs/densenet121.dense');
    expect(r.diagnostics).toEqual([]);
    const [m] = r.models;
    expect(m.name).toBe('densenet121');
    expect(m.claim).toMatchObject({ relation: 'is', paper: 'DenseNet-121' });
    expect(m.input).toMatchObject({ channels: 3, height: 224, width: 224 });
    expect(m.layers[0]).toMatchObject({ kind: 'conv', kernel: [7, 7], stride: [2, 2], pad: [3, 3], out: 64, bias: false });
    expect(m.layers[3]).toMatchObject({ kind: 'maxpool', kernel: [3, 3], stride: [2, 2], pad: [1, 1] });
    expect(blocks(m.layers).map((b) => [b.index, b.layers, b.growth, b.bottleneck, b.dropout])).toEqual([
      [1, 6, 32, 128, 0], [2, 12, 32, 128, 0], [3, 24, 32, 128, 0], [4, 16, 32, 128, 0],
    ]);
    expect(transitions(m.layers).map((t) => [t.index, t.compression])).toEqual([[1, 0.5], [2, 0.5], [3, 0.5]]);
    expect(m.layers.slice(-5).map((l) => l.kind)).toEqual(['bn', 'relu', 'globalpool', 'linear', 'softmax']);
    expect(r.sources.map((s) => s.name)).toEqual(['specs/densenet121.dense', 'specs/lib/imagenet.dense']);
  });

  it('derives layers per block from depth: (L - 4) / 3, or (L - 4) / 6 with bottlenecks (Table 2)', () => {
    const r = specFile('specs/cifar.dense');
    expect(r.diagnostics).toEqual([]);
    expect(r.models.map((m) => [m.name, blocks(m.layers).map((b) => b.layers)])).toEqual([
      ['densenet_40_12', [12, 12, 12]],
      ['densenet_100_12', [32, 32, 32]],
      ['densenet_100_24', [32, 32, 32]],
      ['densenet_bc_100_12', [16, 16, 16]],
      ['densenet_bc_250_24', [41, 41, 41]],
      ['densenet_bc_190_40', [31, 31, 31]],
    ]);
  });

  it('fills defaults: conv pad floor(k/2) and stride 1; pool stride = kernel and pad 0', () => {
    const [m] = check(model('input 3x32x32', 'conv 3x3 out 16', 'conv 1x5 out 8', 'avgpool 2x2', 'dense layers [2] growth 4')).models;
    expect(m.layers.slice(0, 3)).toMatchObject([
      { kind: 'conv', stride: [1, 1], pad: [1, 1] },
      { kind: 'conv', kernel: [1, 5], pad: [0, 2] },
      { kind: 'avgpool', kernel: [2, 2], stride: [2, 2], pad: [0, 0] },
    ]);
  });

  it('takes per-block and per-transition lists, and pairs for stride and pad', () => {
    const [m] = check(model('input 3x32x32', 'conv 3x3 stride [2, 1] out 16', 'dense layers [2, 3, 4] growth [4, 8, 12] compression [0.5, 1] dropout [0, 0.1, 0.2]')).models;
    expect(m.layers[0]).toMatchObject({ stride: [2, 1] });
    expect(blocks(m.layers).map((b) => [b.growth, b.dropout])).toEqual([[4, 0], [8, 0.1], [12, 0.2]]);
    expect(transitions(m.layers).map((t) => [t.compression, t.dropout])).toEqual([[0.5, 0], [1, 0.1]]);
  });

  it('numbers blocks and transitions across `dense`, `block` and `transition` statements', () => {
    const [m] = check(model('input 3x32x32', 'dense layers [1, 1] growth 4', 'transition compression 0.5', 'block 2 growth 8 bottleneck 32')).models;
    expect(m.layers.map((l) => (l.kind === 'block' || l.kind === 'transition' ? `${l.kind}${l.index}` : l.kind))).toEqual([
      'block1', 'transition1', 'block2', 'transition2', 'block3',
    ]);
  });

  it('evaluates lets, constants, indexing and arithmetic', () => {
    const [m] = check(`const sizes = [6, 12]\nconst k = 4\n${model('let w = 2 * k + 1', 'input 3x32x32', 'conv 3x3 out w', 'dense layers [sizes[1] / 2] growth -(-k)')}`).models;
    expect(m.layers[0]).toMatchObject({ out: 9 });
    expect(blocks(m.layers)[0]).toMatchObject({ layers: 6, growth: 4 });
  });

  it('reports several independent errors in one run, sorted by position', () => {
    expect(codes(model('input 3x32x32', 'conv 3x3 out 0', 'dense layers [4, 4] growth 12 compression 2', 'dropout 1.5'))).toEqual(['D0409', 'D0411', 'D0412']);
  });

  it('gives no model when an error concerns it, but keeps the others', () => {
    const r = check(`${model('input 3x32x32', 'dense layers [1] growth 4')}model bad { input 3x32x32\n dense layers [0] growth 4 }\n`);
    expect(r.models.map((m) => m.name)).toEqual(['tiny']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['D0409']);
  });

  it('follows `use` relative to the using file and loads a file once', () => {
    const r = check('use "a/x.dense"\nuse "a/y.dense"\nmodel m = f(k)', {
      'specs/a/x.dense': 'use "../b/z.dense"\nfamily f(k) { input 3x8x8\n dense layers [1] growth k }',
      'specs/a/y.dense': 'use "../b/z.dense"\nconst k = 4',
      'specs/b/z.dense': 'const unused_here = 1',
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.sources.map((s) => s.name)).toEqual(['specs/test.dense', 'specs/a/x.dense', 'specs/b/z.dense', 'specs/a/y.dense']);
  });
});

describe('paths', () => {
  it('joins posix paths by hand', () => {
    expect(join(dirname('specs/cifar.dense'), 'lib/cifar.dense')).toBe('specs/lib/cifar.dense');
    expect(join(dirname('specs/lib/a.dense'), '../b.dense')).toBe('specs/b.dense');
    expect(join(dirname('a.dense'), './b.dense')).toBe('b.dense');
    expect(join(dirname('/abs/a.dense'), '../../x.dense')).toBe('/x.dense');
    expect(join('specs', '/etc/x.dense')).toBe('/etc/x.dense');
    expect(join('', '../x.dense')).toBe('../x.dense');
  });
});
