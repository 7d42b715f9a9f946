// The closed-form figures (src/verify/formula.ts) and the paper's claims (paper.ts) against the
// reference numbers: torchvision's exact parameter counts and Table 2's CIFAR counts.
import { describe, expect, test } from 'vitest';
import { reference as readReference } from '../ir/specs.js';
import { paperFigures } from '../../src/verify/formula.js';
import { paperModel, paperModels, roundedMillions } from '../../src/verify/paper.js';

const reference = readReference() as any;

describe('paper models, by the closed form', () => {
  const imagenet = Object.entries(reference.imagenet.models as Record<string, { learnable: number; bn_running_stats: number; stage_channels: Record<string, number> }>);
  test.each(imagenet)('%s: learnable parameters, running statistics and stage channels', (name, ref) => {
    const m = paperModel(`DenseNet-${name.replace('densenet', '')}`)!;
    const f = paperFigures(m, 1000);
    expect(f.learnable).toBe(ref.learnable);
    expect(f.runningStats).toBe(ref.bn_running_stats);
    for (const [stage, channels] of Object.entries(ref.stage_channels)) expect(f.stages.get(stage)?.[0], stage).toBe(channels);
    for (const [stage, size] of Object.entries(reference.imagenet.table1_output_sizes as Record<string, number>)) expect(f.stages.get(stage)?.[1], stage).toBe(size);
  });

  const cifar = reference.cifar.table2 as { model: string; L: number; k: number; paper_params: string; learnable_c10: number; learnable_c100: number }[];
  test.each(cifar.map((r) => [`${r.model} (L=${r.L}, k=${r.k})`, r] as const))('%s: C10 and C100 counts, and the paper rounding', (name, ref) => {
    const m = paperModel(name)!;
    expect(m.params).toBe(ref.paper_params);
    expect(paperFigures(m, 10).learnable).toBe(ref.learnable_c10);
    expect(paperFigures(m, 100).learnable).toBe(ref.learnable_c100);
    expect(roundedMillions(ref.learnable_c10)).toBe(ref.paper_params);
  });
});

test('paper names are matched ignoring case and spaces', () => {
  expect(paperModel('densenet-121')?.blocks).toEqual([6, 12, 24, 16]);
  expect(paperModel('DenseNet-BC (L=100,k=12)')?.growth).toBe(12);
  expect(paperModel('DenseNet-122')).toBeUndefined();
  expect(paperModels).toHaveLength(11);
});
