// Every spec in specs/, lowered, against the reference numbers: torchvision's exact parameter
// counts, Table 1's output sizes and stage channels, Table 2's CIFAR parameter counts.
import { describe, expect, test } from 'vitest';
import { graphCounts } from '../../src/ir/counts.js';
import { stageOutput } from '../../src/ir/graph.js';
import { checkInvariants } from '../../src/ir/invariants.js';
import { asChw } from '../../src/ir/summary.js';
import { allModels, compileSpec, reference } from './specs.js';

const ref = reference();
const models = allModels();
const imagenet = models.filter((m) => m.model.name in ref.imagenet.models);
const cifar = models.filter((m) => m.file === 'cifar.dense');

/** The Table 2 row a CIFAR model claims to be: `is "DenseNet-BC (L=100, k=12)"`. */
function table2Row(claim: string) {
  const m = /^(DenseNet(?:-BC)?) \(L=(\d+), k=(\d+)\)$/.exec(claim);
  expect(m, claim).not.toBeNull();
  const row = ref.cifar.table2.find((r) => r.model === m![1] && r.L === Number(m![2]) && r.k === Number(m![3]));
  expect(row, claim).toBeDefined();
  return row!;
}

describe('lowered specs', () => {
  test('cover every ImageNet model of the reference and every CIFAR row of Table 2', () => {
    expect(imagenet.map((m) => m.model.name).sort()).toEqual(Object.keys(ref.imagenet.models).sort());
    expect(cifar).toHaveLength(ref.cifar.table2.length);
  });

  test.each(models.map((m) => [m.model.name, m] as const))('%s satisfies the IR invariants', (_, m) => {
    expect(checkInvariants(m.graph)).toEqual([]);
  });

  describe.each(imagenet.map((m) => [m.model.name, m] as const))('%s', (name, m) => {
    const expected = ref.imagenet.models[name];

    test('has torchvision\'s learnable parameters and BN running statistics', () => {
      const { total } = graphCounts(m.graph);
      expect(total.learnable).toBe(expected.learnable);
      expect(total.bnRunningStats).toBe(expected.bn_running_stats);
    });

    test('has Table 1\'s output sizes and the reference stage channels', () => {
      const sizes = ref.imagenet.table1_output_sizes;
      expect(m.graph.stages.map((s) => s.name)).toEqual(Object.keys(sizes));
      for (const stage of m.graph.stages) {
        const shape = asChw(stageOutput(m.graph, stage.name)!.shape);
        expect(shape, stage.name).toEqual([expected.stage_channels[stage.name], sizes[stage.name], sizes[stage.name]]);
      }
      expect(m.graph.input.shape).toEqual(ref.imagenet.input);
    });
  });

  test('densenet121 has exactly the reference MACs', () => {
    const d121 = imagenet.find((m) => m.model.name === 'densenet121')!;
    expect(graphCounts(d121.graph).total.macs).toBe(ref.imagenet.models.densenet121.macs);
  });

  test.each(cifar.map((m) => [m.model.name, m] as const))('%s has Table 2\'s parameters for CIFAR-10', (_, m) => {
    expect(graphCounts(m.graph).total.learnable).toBe(table2Row(m.model.claim!.paper).learnable_c10);
  });

  test.each(cifar.map((m) => [m.model.name, m] as const))('%s has Table 2\'s parameters for CIFAR-100 with `classes = 100`', (name, m) => {
    // The same family call with classes = 100, in a spec of its own that uses the CIFAR library.
    const family = m.model.claim!.paper.startsWith('DenseNet-BC') ? 'densenet_bc' : 'densenet';
    const { L, k } = table2Row(m.model.claim!.paper);
    const text = `use "lib/cifar.dense"\nmodel ${name}_c100 = ${family}(depth = ${L}, k = ${k}, classes = 100)\n`;
    const [c100] = compileSpec('cifar100-variant.dense', text).models;
    expect(checkInvariants(c100.graph)).toEqual([]);
    expect(graphCounts(c100.graph).total.learnable).toBe(table2Row(m.model.claim!.paper).learnable_c100);
  });
});
