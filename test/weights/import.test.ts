import { describe, expect, it } from 'vitest';
import { importWeights } from '../../src/weights/import.js';
import { canonicalName, namedParams } from '../../src/weights/names.js';
import type { NamedTensor } from '../../src/weights/tensor.js';
import { renderText, sourcesOf } from '../../src/diagnostics/render.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { cloneGraph, IrError } from '../../src/ir/graph.js';
import { optimize } from '../../src/passes/pipeline.js';
import { initWeights } from '../../src/ir/weights.js';
import { lowered, stateDictFor, tiny } from './helpers.js';

const file = 'w.safetensors';
const sameValues = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
const codes = (ds: readonly { code: string }[]) => ds.map((d) => d.code);

describe('importing a state dict that fits', () => {
  it('fills every parameter of densenet121 (606 tensors; num_batches_tracked skipped)', () => {
    const g = lowered([6, 12, 24, 16]);
    const dict = stateDictFor(g);
    expect(dict.size).toBe(727); // as torchvision's densenet121().state_dict()
    const result = importWeights(g, dict, file);
    expect(result).toEqual({ ok: true, imported: 606, diagnostics: [] });
    // Compared in a loop: vitest's deep equality over 8 million floats takes seconds.
    const differing = namedParams(g).filter(({ name, tensor }) => !sameValues(tensor.data!, dict.get(name)!.data!));
    expect(differing.map((p) => p.name)).toEqual([]);
  });

  it('gives each tensor an array of its own, not the one in the map', () => {
    const g = tiny();
    const dict = stateDictFor(g);
    importWeights(g, dict, file);
    const conv0 = namedParams(g).find((p) => p.name === 'features.conv0.weight')!.tensor;
    expect(conv0.data).not.toBe(dict.get('features.conv0.weight')!.data);
  });

  it('reads legacy torchvision names (`norm.1.weight` as `norm1.weight`)', () => {
    const g = tiny();
    const legacy = new Map([...stateDictFor(g)].map(([k, v]) => [k.replace(/(denselayer\d+\.(norm|relu|conv))(\d)\./, '$1.$3.'), v]));
    expect(legacy.has('features.denseblock1.denselayer1.norm.1.weight')).toBe(true);
    expect(importWeights(g, legacy, file)).toMatchObject({ ok: true, diagnostics: [] });
  });

  it('widens float16 and bfloat16 tensors (exact), and refuses float64 (it would round)', () => {
    const g = tiny();
    const dict = stateDictFor(g);
    const retype = (name: string, dtype: NamedTensor['dtype']) => dict.set(name, { ...dict.get(name)!, dtype });
    retype('classifier.bias', 'F16');
    retype('classifier.weight', 'BF16');
    expect(importWeights(tiny(), dict, file).ok).toBe(true);
    retype('classifier.bias', 'F64');
    const r = importWeights(g, dict, file);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['weight `classifier.bias` has dtype float64, expected float32']);
  });

  it('leaves a graph optimizable: -O2 keeps the imported values (BN folded from them)', () => {
    const a = tiny();
    importWeights(a, stateDictFor(a), file);
    const b = cloneGraph(a);
    initWeights(b, { seed: 9 }); // keeps data that is there
    expect(namedParams(b).map((p) => p.tensor.data)).toEqual(namedParams(a).map((p) => p.tensor.data));
    expect(() => optimize(a, 2)).not.toThrow();
  });
});

describe('a state dict that does not fit: every mismatch at once, nothing attached', () => {
  function tampered(): { g: ReturnType<typeof tiny>; dict: Map<string, NamedTensor> } {
    const g = tiny();
    const dict = stateDictFor(g);
    dict.delete('features.norm0.running_var');
    dict.delete('classifier.bias');
    const w = dict.get('features.transition1.conv.weight')!;
    dict.set('features.transition1.conv.weight', { ...w, shape: [8, 16] });
    dict.set('features.denseblock2.denselayer1.conv2.weight', { dtype: 'I32', shape: [4, 16, 3, 3], data: undefined });
    dict.set('fc.weight', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    return { g, dict };
  }

  it('reports missing, wrong shape, wrong dtype and unused tensors together', () => {
    const { g, dict } = tampered();
    const r = importWeights(g, dict, file);
    expect(r.ok).toBe(false);
    expect(r.imported).toBe(0);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`)).toEqual([
      'D0702 error missing weight `features.norm0.running_var` (expected float32 [8])',
      'D0703 error weight `features.transition1.conv.weight` has shape [8, 16], expected [8, 16, 1, 1]',
      'D0704 error weight `features.denseblock2.denselayer1.conv2.weight` has dtype int32, expected float32',
      'D0702 error missing weight `classifier.bias` (expected float32 [10])',
      'D0705 warning unused tensor `fc.weight` in `w.safetensors`',
    ]);
  });

  it('attaches no data at all when anything is wrong', () => {
    const { g, dict } = tampered();
    importWeights(g, dict, file);
    expect(namedParams(g).every((p) => p.tensor.data === undefined)).toBe(true);
  });

  it('points each error at the statement that made the layer', () => {
    const { g, dict } = tampered();
    const [missing] = importWeights(g, dict, file).diagnostics;
    const stem = g.nodes.find((n) => n.scope === 'features.norm0')!;
    expect(missing.span).toEqual(stem.span);
    expect(missing.label).toBe('this layer needs `features.norm0.running_var`');
  });

  it('renders under the source line, with a help line', () => {
    const text = 'model m {\n  bn\n}\n';
    const g = tiny();
    const norm0 = g.nodes.find((n) => n.scope === 'features.norm0')!;
    (norm0 as { span: unknown }).span = { file: 'm.dense', start: 12, end: 14 };
    const dict = stateDictFor(g);
    dict.set('features.norm0.weight', { dtype: 'F32', shape: [9], data: new Float32Array(9) });
    const rendered = renderText(importWeights(g, dict, file).diagnostics, sourcesOf([new SourceFile('m.dense', text)]));
    expect(rendered).toBe(
      [
        'error[D0703]: weight `features.norm0.weight` has shape [9], expected [8]',
        ' --> m.dense:2:3',
        '  |',
        '2 |   bn',
        '  |   ^^ this layer makes `features.norm0.weight` [8]',
        '  = help: the weights were saved from a model with other sizes: compare the growth rate, bottleneck, compression and block sizes',
        '',
      ].join('\n'),
    );
  });

  it('a legacy and a current name for the same tensor is an error (D0706)', () => {
    const g = tiny();
    const dict = stateDictFor(g);
    dict.set('features.denseblock1.denselayer1.conv.2.weight', dict.get('features.denseblock1.denselayer1.conv2.weight')!);
    const r = importWeights(g, dict, file);
    expect(codes(r.diagnostics)).toEqual(['D0706']);
    expect(r.diagnostics[0].message).toBe(
      'weight `features.denseblock1.denselayer1.conv2.weight` appears twice in `w.safetensors`, as ' +
        '`features.denseblock1.denselayer1.conv2.weight` and `features.denseblock1.denselayer1.conv.2.weight`',
    );
  });

  it('warnings alone (unused tensors) do not stop the import', () => {
    const g = tiny();
    const dict = stateDictFor(g);
    dict.set('extra', { dtype: 'F32', shape: [], data: Float32Array.of(1) });
    const r = importWeights(g, dict, file);
    expect(r.ok).toBe(true);
    expect(codes(r.diagnostics)).toEqual(['D0705']);
  });

  it('a weights file for another architecture reports every parameter', () => {
    const r = importWeights(tiny(), stateDictFor(lowered([2, 2], 8, 10, 32)), file);
    expect(r.ok).toBe(false);
    expect(new Set(codes(r.diagnostics))).toEqual(new Set(['D0703']));
  });
});

describe('names', () => {
  it.each([
    ['features.denseblock1.denselayer1.norm.1.weight', 'features.denseblock1.denselayer1.norm1.weight'],
    ['features.denseblock4.denselayer16.conv.2.weight', 'features.denseblock4.denselayer16.conv2.weight'],
    ['features.denseblock2.denselayer3.norm.2.running_var', 'features.denseblock2.denselayer3.norm2.running_var'],
    ['features.transition1.norm.weight', 'features.transition1.norm.weight'],
    ['features.denseblock1.denselayer1.norm.3.weight', 'features.denseblock1.denselayer1.norm.3.weight'],
    ['features.norm.1.weight', 'features.norm.1.weight'],
  ])('%s -> %s', (key, name) => {
    expect(canonicalName(key)).toBe(name);
  });

  it('refuses a graph after fusion passes: its tensors have no single state-dict name', () => {
    const g = tiny();
    initWeights(g, { seed: 1 });
    const { graph } = optimize(g, 2);
    expect(graph.nodes.some((n) => n.op.kind === 'bnReluConv')).toBe(true);
    expect(() => namedParams(graph)).toThrow(IrError);
  });
});
