// The inspect summary: rows per stage or layer, totals, text and JSON.
import { describe, expect, test } from 'vitest';
import { graphCounts } from '../../src/ir/counts.js';
import { lower } from '../../src/ir/lower.js';
import { renderSummary, summarize, summaryToJson } from '../../src/ir/summary.js';
import { imagenet } from './handmade.js';

const g = lower(imagenet([6, 12, 24, 16])).graph!;

describe('summarize', () => {
  test('makes one row per stage whose counts add up to the totals', () => {
    const s = summarize(g);
    expect(s.rows.map((r) => r.name)).toEqual(g.stages.map((st) => st.label));
    const sum = (f: (r: (typeof s.rows)[number]) => number) => s.rows.reduce((a, r) => a + f(r), 0);
    expect(sum((r) => r.counts.learnable)).toBe(s.total.learnable);
    expect(sum((r) => r.counts.bnRunningStats)).toBe(s.total.bnRunningStats);
    expect(sum((r) => r.counts.macs)).toBe(s.total.macs);
    expect(s.rows.find((r) => r.stage === 'dense_block_1')!.shape).toEqual([256, 56, 56]);
  });

  test('expands stages into dense layers and modules at depth 2, and into nodes at depth 3', () => {
    const rows = summarize(g, { depth: 2 }).rows;
    const block1 = rows.filter((r) => r.level === 2 && r.stage === 'dense_block_1').map((r) => r.name);
    expect(block1).toEqual([1, 2, 3, 4, 5, 6].map((l) => `features.denseblock1.denselayer${l}`).concat('features.denseblock1.concat'));
    expect(rows.filter((r) => r.stage === 'classification' && r.level === 2).map((r) => r.name)).toEqual([
      'features.norm5', 'features.relu5', 'features.pool5', 'flatten', 'classifier', 'softmax',
    ]);
    expect(summarize(g, { depth: 3 }).rows.filter((r) => r.level === 2)).toHaveLength(g.nodes.length);
  });

  test('measures weights and activations in float32 bytes', () => {
    const s = summarize(g);
    expect(s.weightBytes).toBe(4 * (s.total.learnable + s.total.bnRunningStats));
    expect(s.activationBytes).toBe(4 * g.nodes.reduce((a, n) => a + n.output.shape.reduce((x, y) => x * y, 1), 0));
  });
});

describe('renderSummary', () => {
  const text = renderSummary(summarize(g, { claim: { relation: 'is', paper: 'DenseNet-121' } }));

  test('prints a table of stages with thousands separators', () => {
    expect(text).toMatch(/^Model: imagenet {2}\(is "DenseNet-121"\)\n/);
    expect(text).toMatch(/\nLayer +Output shape +Params +MACs\n/);
    expect(text).toMatch(/\nDense Block \(1\) +\[256, 56, 56\] +335,040 +1,040,449,536\n/);
    expect(text).toMatch(/\nClassification Layer +\[1000\] +1,027,048 +1,024,000\n/);
  });

  test('prints the totals, MACs as multiply-accumulates with GFLOPs = 2 x MACs', () => {
    expect(text).toMatch(new RegExp(`\nLearnable parameters: +${graphCounts(g).total.learnable.toLocaleString('en-US')}\n`));
    expect(text).toMatch(/\nBN running statistics: +83,648 +\(running mean and variance, not learned\)\n/);
    expect(text).toMatch(/\nMultiply-accumulates: +2,834,161,664 +\(5\.67 GFLOPs at 2 FLOPs per MAC\)\n/);
    expect(text).toMatch(/\nWeights \(float32\): +32\.25 MB/);
    expect(text).toMatch(/\nActivations \(float32\): +\d+\.\d\d MB/);
  });

  test('uses no colour unless asked', () => {
    expect(text).not.toContain('\u001b[');
    expect(renderSummary(summarize(g), { color: true })).toContain('\u001b[');
  });
});

describe('summaryToJson', () => {
  test('gives the counts and the stages with [C, H, W] shapes', () => {
    const j = summaryToJson(summarize(g, { depth: 2 }));
    expect(j.params).toEqual({ learnable: 7_978_856, bnRunningStats: 83_648, total: 7_978_856 + 83_648 });
    expect(j.macs).toBe(2_834_161_664);
    expect(j.gflops).toBeCloseTo(5.668, 3);
    expect(j.stages.map((s) => s.name)).toEqual(g.stages.map((s) => s.name));
    expect(j.stages.at(-1)).toMatchObject({ name: 'classification', label: 'Classification Layer', shape: [1000, 1, 1], tensorShape: [1000] });
    expect(j.stages[2].layers).toHaveLength(7);
    expect(summaryToJson(summarize(g)).stages[2].layers).toBeUndefined();
  });
});

describe('models past 2 GB of weights', () => {
  test('are summarized, and say their weights go to external data; smaller ones do not', () => {
    const wide = summarize(lower(imagenet([6, 12, 36, 24], 256, 512, 1000, 64)).graph!);
    expect(wide.weightBytes).toBeGreaterThan(3e9);
    expect(summaryToJson(wide).weights.externalData).toBe(true);
    expect(renderSummary(wide)).toContain('over 2 GB: compile writes them to external data');
    expect(summaryToJson(summarize(g)).weights.externalData).toBeUndefined();
    expect(renderSummary(summarize(g))).not.toContain('external data');
  });
});
