// Seeded initialization (src/ir/weights.ts): torchvision's schemes, and the same bytes every time.
import { describe, expect, test } from 'vitest';
import { initWeights, Rng } from '../../src/ir/weights.js';
import { everyOp } from './graphs.js';
import { imagenet } from '../ir/handmade.js';
import { lower } from '../../src/ir/lower.js';
import type { Graph, OpOf } from '../../src/ir/graph.js';

const densenet = (blocks: number[], k = 8): Graph => lower(imagenet(blocks, k, 2 * k, 10, 32)).graph!;
const nodes = <K extends 'conv' | 'batchnorm' | 'linear'>(g: Graph, kind: K) =>
  g.nodes.filter((n) => n.op.kind === kind).map((n) => ({ scope: n.scope, op: n.op as OpOf<K> }));
const mean = (xs: Float32Array): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: Float32Array): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

describe('Rng', () => {
  test('is deterministic per seed and stream, and differs across them', () => {
    const draw = (seed: number, stream: string) => Array.from({ length: 4 }, ((r) => () => r.nextU32())(new Rng(seed, stream)));
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
  });

  test('normal() has mean 0 and variance 1', () => {
    const r = new Rng(42);
    const xs = Float32Array.from({ length: 200_000 }, () => r.normal());
    expect(Math.abs(mean(xs))).toBeLessThan(0.01);
    expect(Math.abs(std(xs) - 1)).toBeLessThan(0.01);
  });
});

describe('Rng fills', () => {
  test('fillRange gives the values of range() drawn one by one', () => {
    const [a, b] = [new Rng(7, 's'), new Rng(7, 's')];
    const filled = new Float32Array(1000);
    a.fillRange(filled, -0.25, 0.75);
    expect(filled).toEqual(Float32Array.from({ length: 1000 }, () => b.range(-0.25, 0.75)));
  });

  test('fillNormal (ziggurat) is standard normal: moments, tails beyond the base layer, quantiles', () => {
    const xs = new Float32Array(400_000);
    new Rng(3, 'z').fillNormal(xs, 1);
    const moment = (k: number): number => xs.reduce((a, x) => a + x ** k, 0) / xs.length;
    expect(Math.abs(moment(1))).toBeLessThan(0.01);
    expect(Math.abs(moment(2) - 1)).toBeLessThan(0.01);
    expect(Math.abs(moment(4) - 3)).toBeLessThan(0.06);
    // P(|x| > 3.4426) = 5.76e-4 (the tail) and P(|x| > 1) = 0.3173 (inside the layers and wedges).
    const beyond = (t: number): number => xs.filter((x) => Math.abs(x) > t).length / xs.length;
    expect(Math.abs(beyond(3.442619855899) - 5.76e-4)).toBeLessThan(1.5e-4);
    expect(Math.abs(beyond(1) - 0.3173)).toBeLessThan(0.005);
    expect(Math.abs(xs.filter((x) => x > 0).length / xs.length - 0.5)).toBeLessThan(0.005);
  });

  test('fillNormal is deterministic per stream and scales by std', () => {
    const [a, b] = [new Float32Array(999), new Float32Array(999)];
    new Rng(1, 'w').fillNormal(a, 1);
    new Rng(1, 'w').fillNormal(b, 0.5);
    expect(b).toEqual(a.map((x) => Math.fround(0.5 * x)));
  });
});

describe('initWeights', () => {
  const g = densenet([2, 2]);
  initWeights(g, { seed: 5 });

  test('conv weights are Kaiming normal: std sqrt(2 / fan_in)', () => {
    const conv = nodes(g, 'conv').find((n) => n.scope === 'features.denseblock1.denselayer1.conv1')!.op;
    const [, inC, kh, kw] = conv.weight.shape;
    const w = conv.weight.data!;
    expect(Math.abs(std(w) / Math.sqrt(2 / (inC * kh * kw)) - 1)).toBeLessThan(0.1);
  });

  test('BatchNorm is gamma 1, beta 0, mean 0, var 1', () => {
    for (const { op } of nodes(g, 'batchnorm')) {
      expect(op.gamma.data!.every((x) => x === 1)).toBe(true);
      expect(op.beta.data!.every((x) => x === 0)).toBe(true);
      expect(op.mean.data!.every((x) => x === 0)).toBe(true);
      expect(op.var.data!.every((x) => x === 1)).toBe(true);
    }
  });

  test('the classifier weight is uniform within 1/sqrt(in), its bias 0', () => {
    const linear = nodes(g, 'linear')[0].op;
    const bound = 1 / Math.sqrt(linear.weight.shape[1]);
    expect(linear.weight.data!.every((x) => Math.abs(x) <= bound)).toBe(true);
    expect(Math.max(...linear.weight.data!.map(Math.abs))).toBeGreaterThan(bound * 0.9);
    expect(linear.bias!.data!.every((x) => x === 0)).toBe(true);
  });

  test('random BN statistics: gamma and var in [0.5, 1.5], beta and mean in [-0.5, 0.5]', () => {
    const h = densenet([2, 2]);
    initWeights(h, { seed: 5, randomBnStats: true });
    for (const { op } of nodes(h, 'batchnorm')) {
      expect(op.var.data!.every((x) => x >= 0.5 && x <= 1.5)).toBe(true);
      expect(op.gamma.data!.every((x) => x >= 0.5 && x <= 1.5)).toBe(true);
      expect(op.mean.data!.every((x) => x >= -0.5 && x <= 0.5)).toBe(true);
      expect(new Set(op.beta.data!).size).toBeGreaterThan(1);
    }
  });

  test('a tensor depends on the seed and its name only, not on the rest of the graph', () => {
    const small = densenet([2, 2]);
    const big = densenet([2, 5, 3]);
    initWeights(small, { seed: 5 });
    initWeights(big, { seed: 5 });
    const stem = (h: Graph) => nodes(h, 'conv')[0].op.weight.data!;
    expect(stem(big)).toEqual(stem(small));
    expect(stem(big)).toEqual(stem(g));
    const other = densenet([2, 2]);
    initWeights(other, { seed: 6 });
    expect(stem(other)).not.toEqual(stem(g));
  });

  test('keeps data already attached (imported weights) unless told to overwrite', () => {
    const h = everyOp();
    const conv = nodes(h, 'conv')[0].op;
    const before = conv.weight.data;
    initWeights(h, { seed: 99 });
    expect(conv.weight.data).toBe(before);
    initWeights(h, { seed: 99, overwrite: true });
    expect(conv.weight.data).not.toEqual(before);
  });
});
