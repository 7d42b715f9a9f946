// `densec compile --weights` end to end: trained weights in, every mismatch reported at once with
// nothing written, unused tensors as warnings, and the weights file recorded in the metadata.
import { createHash } from 'node:crypto';
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

/** A state dict that fits `small` exactly (torch's num_batches_tracked included). */
function fitting() {
  const r = compile(spec, { fileName: at('small.dense'), readFile, optLevel: 0 });
  return stateDictFor(r.graph!, 7);
}
const save = (name: string, dict: ReturnType<typeof fitting>): string => {
  const floats = new Map([...dict].filter(([, t]) => t.data).map(([k, t]) => [k, { shape: t.shape, data: t.data! }]));
  fs.writeFileSync(at(name), writeSafetensors(floats));
  return at(name);
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-weights-'));
  fs.writeFileSync(at('small.dense'), spec);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('densec compile --weights', () => {
  test('imports a fitting state dict; the metadata names the file and its sha256', () => {
    const file = save('good.safetensors', fitting());
    const r = densec('compile', at('small.dense'), '--weights', file, '-O0', '-o', at('good.onnx'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/opset 17, -O0, weights good\.safetensors\)/);
    const m = readModel(fs.readFileSync(at('good.onnx')));
    expect(m.metadata.get('weights')).toBe('good.safetensors');
    expect(m.metadata.get('weights_sha256')).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    const conv0 = m.initializers.find((i) => i.name === 'features.conv0.weight')!;
    expect(conv0.data).toEqual(fitting().get('features.conv0.weight')!.data);
  });

  test('a wrong shape and a missing tensor: both reported with name, expected and found; exit 2, no file', () => {
    const dict = fitting();
    dict.delete('features.denseblock2.denselayer1.norm2.running_var');
    const w = dict.get('features.transition1.conv.weight')!;
    dict.set('features.transition1.conv.weight', { ...w, shape: [w.shape[0], w.shape[1]] });
    dict.set('classifier.weight', { dtype: 'F32', shape: [1000, 16], data: new Float32Array(16_000) });
    const r = densec('compile', at('small.dense'), '--weights', save('bad.safetensors', dict), '-o', at('bad.onnx'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([
      `error[D0760]: the weights in \`${at('bad.safetensors')}\` do not fit \`${at('small.dense')}\`: 1 tensor missing, 2 of the wrong shape, 0 unexpected`,
      expect.stringMatching(/^error\[D0702\]: missing weight `features\.denseblock2\.denselayer1\.norm2\.running_var` \(expected float32 \[16\]\) \(.*cifar\.dense:\d+:\d+\)$/),
      expect.stringMatching(/^error\[D0703\]: weight `features\.transition1\.conv\.weight` has shape \[8, 16\], expected \[8, 16, 1, 1\] \(.*cifar\.dense:\d+:\d+\)$/),
      expect.stringMatching(/^error\[D0703\]: weight `classifier\.weight` has shape \[1000, 16\], expected \[10, 16\] \(.*cifar\.dense:\d+:\d+\)$/),
    ]);
    // --verbose: each with the layer's source line and a caret.
    const verbose = densec('compile', at('small.dense'), '--weights', at('bad.safetensors'), '-o', at('bad.onnx'), '--verbose');
    expect(verbose.code).toBe(2);
    expect(verbose.stderr.match(/--> .*cifar\.dense:\d+:\d+/g)).toHaveLength(3);
    expect(fs.existsSync(at('bad.onnx'))).toBe(false);
  });

  test('unused tensors are warnings; the model is still written', () => {
    const dict = fitting();
    dict.set('features.denseblock9.extra.weight', { dtype: 'F32', shape: [2], data: new Float32Array(2) });
    const r = densec('compile', at('small.dense'), '--weights', save('extra.safetensors', dict), '-o', at('extra.onnx'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning\[D0705\]: unused tensor `features\.denseblock9\.extra\.weight` in `extra\.safetensors`$/m);
    expect(fs.existsSync(at('extra.onnx'))).toBe(true);
  });

  test("an -O0 model's initializers are weights too: the round trip keeps every value", () => {
    expect(densec('compile', at('small.dense'), '-O0', '--seed', '5', '--random-bn-stats', '-o', at('seed5.onnx')).code).toBe(0);
    const r = densec('compile', at('small.dense'), '-O0', '--seed', '9', '--weights', at('seed5.onnx'), '-o', at('again.onnx'));
    expect(r.code).toBe(0);
    const [a, b] = ['seed5.onnx', 'again.onnx'].map((f) => readModel(fs.readFileSync(at(f))).initializers);
    expect(b.map((i) => [i.name, i.data])).toEqual(a.map((i) => [i.name, i.data]));
  });

  test('a missing or damaged weights file: D0709 exit 66 / D0701 exit 2, no file', () => {
    const missing = densec('compile', at('small.dense'), '--weights', at('nope.safetensors'), '-o', at('x.onnx'));
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/^error\[D0709\]: cannot read the weights file `.*nope\.safetensors`: no such file$/m);
    fs.writeFileSync(at('damaged.safetensors'), Uint8Array.of(1, 2, 3));
    const damaged = densec('compile', at('small.dense'), '--weights', at('damaged.safetensors'), '-o', at('x.onnx'));
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/^error\[D0701\]/m);
    expect(fs.existsSync(at('x.onnx'))).toBe(false);
  });
});
