// Weights that fail well (issue 11): another model's weights give a summary first (counts, and the
// zoo model the file most resembles, computed by matching it against every spec), then at most
// 20 one-line problems; `module.` checkpoints load with a note; --weights-partial loads what fits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readModel } from '../../src/emit/decode.js';
import { compile } from '../../src/index.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { stateDictFor } from '../weights/helpers.js';
import { densec, root } from './cli.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);
const spec = `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 16, k = 4)\n`;
const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

function save(name: string, dict: ReturnType<typeof stateDictFor>, prefix = ''): string {
  const floats = new Map([...dict].filter(([, t]) => t.data).map(([k, t]) => [prefix + k, { shape: t.shape, data: t.data! }]));
  fs.writeFileSync(at(name), writeSafetensors(floats));
  return at(name);
}
const small = () => stateDictFor(compile(spec, { fileName: at('small.dense'), readFile, optLevel: 0 }).graph!, 3);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-weights-fit-'));
  fs.writeFileSync(at('small.dense'), spec);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('weights of another model', () => {
  test("densenet121's into densenet169: the counts and the most similar zoo model, then 20 lines and the rest counted", () => {
    expect(densec('compile', 'specs/densenet121.dense', '-O0', '-q', '-o', at('d121.onnx')).code).toBe(0);
    const r = densec('compile', 'specs/densenet169.dense', '--weights', at('d121.onnx'), '-o', at('never.onnx'));
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    // densenet169's blocks 3 and 4 have 32 layers where densenet121's have 24 and 16: 240 tensors
    // of the extra layers are missing; the transitions, norm5 and the classifier see more channels.
    expect(lines[0]).toBe(`error[D0760]: the weights in \`${at('d121.onnx')}\` do not fit \`specs/densenet169.dense\`: 240 tensors missing, 90 of the wrong shape, 0 unexpected`);
    expect(lines[1]).toBe(
      "  = help: it most resembles `densenet121` (specs/densenet121.dense): 606 of the file's 606 tensors match that model's 606 parameters by name and shape; nothing was written; `--weights-partial` loads the tensors that fit and keeps the rest seeded",
    );
    expect(lines.slice(2, 22).every((l) => /^error\[D070[234]\]: /.test(l))).toBe(true);
    expect(lines.slice(22)).toEqual(['... and 310 more (`--verbose` shows them all, with their source lines)']);
    expect(fs.existsSync(at('never.onnx'))).toBe(false);

    const all = densec('compile', 'specs/densenet169.dense', '--weights', at('d121.onnx'), '-o', at('never.onnx'), '--verbose');
    expect(all.stderr.match(/^error\[D070[234]\]/gm)).toHaveLength(330);
  });

  test('--json gives every mismatch as data, the summary first', () => {
    const dict = small();
    dict.delete('features.conv0.weight');
    const r = densec('compile', at('small.dense'), '--weights', save('missing.safetensors', dict), '--json', '-o', at('never.onnx'));
    expect(r.code).toBe(2);
    const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['D0760', 'D0702']);
  });
});

describe('a DataParallel checkpoint (`module.` before every name)', () => {
  test('loads, with a note; the values are the file\'s', () => {
    const dict = small();
    const r = densec('compile', at('small.dense'), '-O0', '--weights', save('dp.safetensors', dict, 'module.'), '-o', at('dp.onnx'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning\[D0761\]: stripped the prefix `module\.` that all \d+ tensor names in `dp\.safetensors` share$/m);
    const conv0 = readModel(fs.readFileSync(at('dp.onnx'))).initializers.find((i) => i.name === 'features.conv0.weight')!;
    expect(conv0.data).toEqual(dict.get('features.conv0.weight')!.data);
  });
});

describe('--weights-partial', () => {
  test('a new classifier (fine-tuning): the rest loads, the classifier stays seeded, the model is written', () => {
    const dict = small();
    dict.set('classifier.weight', { dtype: 'F32', shape: [1000, dict.get('classifier.weight')!.shape[1]], data: new Float32Array(1000 * dict.get('classifier.weight')!.shape[1]) });
    dict.set('classifier.bias', { dtype: 'F32', shape: [1000], data: new Float32Array(1000) });
    const file = save('imagenet-head.safetensors', dict);
    expect(densec('compile', at('small.dense'), '--weights', file, '-o', at('never.onnx')).code).toBe(2);

    const r = densec('compile', at('small.dense'), '-O0', '--weights', file, '--weights-partial', '-o', at('partial.onnx'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning\[D0762\]: loaded (\d+) of (\d+) parameter tensors from `imagenet-head\.safetensors`; 2 stay seeded \(0 missing, 2 of another shape, 0 of another dtype\)$/m);
    expect(r.stderr.match(/^warning\[D0763\]: stays seeded: weight `classifier\.(weight|bias)`/gm)).toHaveLength(2);
    const m = readModel(fs.readFileSync(at('partial.onnx')));
    expect(m.initializers.find((i) => i.name === 'features.conv0.weight')!.data).toEqual(dict.get('features.conv0.weight')!.data);
    const head = m.initializers.find((i) => i.name === 'classifier.weight')!;
    expect(head.dims).toEqual([10, dict.get('classifier.weight')!.shape[1]]);
    expect(head.data!.some((x) => x !== 0)).toBe(true); // seeded, not the file's zeros
  });

  test('run takes it too', () => {
    const dict = small();
    dict.delete('features.norm5.weight');
    const r = densec('run', at('small.dense'), '--weights', save('no-norm5.safetensors', dict), '--weights-partial');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning\[D0762\]: .* 1 stay seeded \(1 missing, 0 of another shape, 0 of another dtype\)$/m);
  });
});
