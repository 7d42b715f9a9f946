// Weights that do not fit exactly: a prefix every name shares (DataParallel's `module.`) is
// stripped with a warning, only when that makes more names match; --weights-partial (torch's
// strict=False) imports what fits and leaves the rest seeded; and a file is matched against
// candidate models to say which one it most resembles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/diagnostics/render.js';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import { commonPrefix, importWeights } from '../../src/weights/import.js';
import { namedParams } from '../../src/weights/names.js';
import { mostSimilar, resemblance } from '../../src/weights/similar.js';
import type { NamedTensor } from '../../src/weights/tensor.js';
import { lowered, stateDictFor, tiny } from './helpers.js';

const file = 'w.safetensors';
const prefixed = (dict: Map<string, NamedTensor>, prefix: string) => new Map([...dict].map(([k, v]) => [prefix + k, v]));
const paramsOf = (g = tiny()) => new Map(namedParams(g).map((p) => [p.name, p.tensor.shape]));

describe('a prefix that every name shares', () => {
  it.each(['module.', 'model.', 'model.module.'])('`%s` is stripped with a warning, and every tensor imports', (prefix) => {
    const g = tiny();
    const dict = stateDictFor(g);
    const r = importWeights(g, prefixed(dict, prefix), file);
    expect(r.ok).toBe(true);
    expect(r.imported).toBe(namedParams(g).length);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['D0761', `stripped the prefix \`${prefix}\` that all ${[...dict.keys()].filter((k) => !k.endsWith('num_batches_tracked')).length} tensor names in \`w.safetensors\` share`],
    ]);
  });

  it('is kept when stripping it would match fewer names (a file of `features.` tensors only)', () => {
    const params = new Set(paramsOf().keys());
    const keys = [...params].filter((k) => k.startsWith('features.'));
    expect(commonPrefix(keys, params)).toBe('');
  });

  it('property: whatever prefix of name segments is put before a fitting dict, it is found and stripped', () => {
    const params = new Set(paramsOf().keys());
    const keys = [...params];
    const segment = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 0, maxLength: 3 }), (segments) => {
        const prefix = segments.map((s) => `${s}.`).join('');
        expect(commonPrefix(keys.map((k) => prefix + k), params)).toBe(prefix);
      }),
      { numRuns: 60 },
    );
  });
});

describe('--weights-partial', () => {
  it('imports every tensor that fits; the others stay unset for seeding, each with a warning', () => {
    const g = tiny();
    const dict = stateDictFor(g);
    dict.delete('features.norm5.running_var');
    dict.set('classifier.weight', { dtype: 'F32', shape: [1000, 16], data: new Float32Array(16_000) });
    dict.set('classifier.bias', { ...dict.get('classifier.bias')!, dtype: 'F64' });
    const total = namedParams(g).length;
    const strict = importWeights(tiny(), dict, file);
    expect(strict.ok).toBe(false);

    const r = importWeights(g, dict, file, { partial: true });
    expect(r.ok).toBe(true);
    expect(r.imported).toBe(total - 3);
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(r.diagnostics[0].message).toBe(`loaded ${total - 3} of ${total} parameter tensors from \`w.safetensors\`; 3 stay seeded (1 missing, 1 of another shape, 1 of another dtype)`);
    expect(r.diagnostics.filter((d) => d.code === 'D0763').map((d) => d.message)).toEqual([
      'stays seeded: missing weight `features.norm5.running_var` (expected float32 [16])',
      'stays seeded: weight `classifier.weight` has shape [1000, 16], expected [10, 16]',
      'stays seeded: weight `classifier.bias` has dtype float64, expected float32',
    ]);
    const byName = new Map(namedParams(g).map((p) => [p.name, p.tensor]));
    expect(byName.get('features.conv0.weight')!.data).toEqual(dict.get('features.conv0.weight')!.data);
    for (const seeded of ['features.norm5.running_var', 'classifier.weight', 'classifier.bias']) expect(byName.get(seeded)!.data).toBeUndefined();
  });

  it('still refuses a name given twice: there is no telling which to load', () => {
    const g = tiny();
    const dict = stateDictFor(g);
    dict.set('features.denseblock1.denselayer1.norm.1.weight', dict.get('features.denseblock1.denselayer1.norm1.weight')!);
    const r = importWeights(g, dict, file, { partial: true });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('D0706');
  });
});

describe('which model a file most resembles', () => {
  const d121 = lowered([6, 12, 24, 16]);
  const d169 = lowered([6, 12, 32, 32]);
  const d201 = lowered([6, 12, 48, 32]);
  const candidates = [
    { name: 'densenet169', params: paramsOf(d169) },
    { name: 'densenet121', params: paramsOf(d121) },
    { name: 'densenet201', params: paramsOf(d201) },
  ];

  it("scores a model's own state dict 1 against it, and less against its deeper relatives", () => {
    const dict = stateDictFor(d121);
    expect(resemblance(dict, paramsOf(d121))).toEqual({ matched: 606, fileTensors: 606, modelTensors: 606, score: 1 });
    const against169 = resemblance(dict, paramsOf(d169));
    expect(against169.score).toBeGreaterThan(0);
    expect(against169.score).toBeLessThan(1);
    expect(mostSimilar(dict, candidates)?.name).toBe('densenet121');
    expect(mostSimilar(prefixed(stateDictFor(d169), 'module.'), candidates)?.name).toBe('densenet169');
  });

  it('finds none when no tensor matches by name and shape', () => {
    const other = new Map<string, NamedTensor>([['encoder.layer0.weight', { dtype: 'F32', shape: [3], data: new Float32Array(3) }]]);
    expect(mostSimilar(other, candidates)).toBeUndefined();
  });
});

describe('rendered text of the codes', () => {
  const render = (d: ReturnType<typeof diagnostic>) => renderText([d], () => undefined);
  it('D0760', () => {
    expect(render(diagnostic('D0760', undefined, { file: 'd121.safetensors', model: 'specs/densenet169.dense', problems: '330 tensors missing, 12 of the wrong shape, 0 unexpected' }))).toBe(
      'error[D0760]: the weights in `d121.safetensors` do not fit `specs/densenet169.dense`: 330 tensors missing, 12 of the wrong shape, 0 unexpected\n' +
        '  = help: nothing was written; `--weights-partial` loads the tensors that fit and keeps the rest seeded\n',
    );
  });
  it('D0761', () => {
    expect(render(diagnostic('D0761', undefined, { prefix: 'module.', count: 606, file: 'dp.safetensors' }))).toBe(
      'warning[D0761]: stripped the prefix `module.` that all 606 tensor names in `dp.safetensors` share\n' +
        '  = help: checkpoints saved from `torch.nn.DataParallel` or a training wrapper put `module.` or `model.` before every name; densec reads them without it\n',
    );
  });
  it('D0762 and D0763', () => {
    expect(render(diagnostic('D0762', undefined, { file: 'w.safetensors', imported: 604, total: 606, seeded: 2, reasons: '0 missing, 2 of another shape, 0 of another dtype' }))).toBe(
      'warning[D0762]: loaded 604 of 606 parameter tensors from `w.safetensors`; 2 stay seeded (0 missing, 2 of another shape, 0 of another dtype)\n' +
        "  = help: with `--weights-partial` the tensors that fit are loaded and the others keep their seeded values, as torch's `load_state_dict(strict=False)`\n",
    );
    expect(render(diagnostic('D0763', undefined, { reason: 'missing weight `x` (expected float32 [2])' }))).toBe(
      'warning[D0763]: stays seeded: missing weight `x` (expected float32 [2])\n  = help: loaded with `--weights-partial`: this parameter keeps its seeded value\n',
    );
  });
});
