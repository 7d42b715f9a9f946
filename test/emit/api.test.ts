// The public API (src/index.ts): compile and compileAll on spec text, option diagnostics (D06),
// and the same bytes for the same spec, options and seed.
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compile, compileAll, readModel, renderText, sourcesOf } from '../../src/index.js';

const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);
const cifar = fs.readFileSync('specs/cifar.dense', 'utf8');
const one = 'use "lib/cifar.dense"\nmodel tiny = densenet_bc(depth = 16, k = 4)\n';
const options = { fileName: 'specs/tiny.dense', readFile };
const rendered = (r: { diagnostics: Parameters<typeof renderText>[0]; sources: Parameters<typeof sourcesOf>[0] }) => renderText(r.diagnostics, sourcesOf(r.sources));

describe('compile', () => {
  test("a file's only model, with its graph, pass log and no diagnostics", () => {
    const r = compile(one, options);
    expect(r.diagnostics).toEqual([]);
    expect(r.model).toBeInstanceOf(Uint8Array);
    expect(r.graph?.name).toBe('tiny');
    expect(r.log.length).toBeGreaterThan(0);
    expect(readModel(r.model!).metadata.get('source')).toBe('tiny.dense');
  });

  test('the same spec, options and seed give the same bytes; another seed other bytes', () => {
    const a = compile(one, { ...options, randomBnStats: true });
    const b = compile(one, { ...options, randomBnStats: true });
    const c = compile(one, { ...options, randomBnStats: true, seed: 9 });
    expect(Buffer.from(a.model!).equals(Buffer.from(b.model!))).toBe(true);
    expect(Buffer.from(a.model!).equals(Buffer.from(c.model!))).toBe(false);
  });

  test('D0603: a file with several models needs `model`', () => {
    const r = compile(cifar, { ...options, fileName: 'specs/cifar.dense' });
    expect(r.model).toBeUndefined();
    expect(rendered(r)).toBe(
      'error[D0603]: `specs/cifar.dense` declares 6 models; choose one\n' +
        '  = help: models here: `densenet_40_12`, `densenet_100_12`, `densenet_100_24`, `densenet_bc_100_12`, `densenet_bc_250_24`, `densenet_bc_190_40`; pick one with the `model` option\n',
    );
    expect(compile(cifar, { ...options, fileName: 'specs/cifar.dense', model: 'densenet_40_12' }).graph?.name).toBe('densenet_40_12');
  });

  test('D0604: no model of that name', () => {
    const r = compile(one, { ...options, model: 'huge' });
    expect(rendered(r)).toBe('error[D0604]: no model named `huge` in `specs/tiny.dense`\n  = help: models here: `tiny`\n');
  });

  test('D0602: a library file declares no model', () => {
    const r = compileAll(fs.readFileSync('specs/lib/imagenet.dense', 'utf8'), { ...options, fileName: 'specs/lib/imagenet.dense' });
    expect(r.models).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['D0602']);
  });

  test('D0601 and D0607: options out of range, before anything is compiled', () => {
    const r = compile(one, { ...options, opset: 22, seed: -1 });
    expect(r.model).toBeUndefined();
    expect(rendered(r)).toBe(
      'error[D0601]: opset 22 is not supported\n' +
        '  = help: densec emits ONNX opsets 13 to 21; the default, 17, is read by onnx 1.12 and every current onnxruntime\n' +
        '\n' +
        'error[D0607]: `seed` must be an integer from 0 to 4294967295, found `-1`\n' +
        '  = help: see `CompileOptions` in the README\n',
    );
  });

  test('compileAll compiles every model of a file', () => {
    const r = compileAll('use "lib/cifar.dense"\nmodel a = densenet_bc(depth = 16, k = 4)\nmodel b = densenet(depth = 10, k = 4)\n', options);
    expect(r.models.map((m) => m.name)).toEqual(['a', 'b']);
  });
});

describe('defaults', () => {
  test('compile(text) needs no options: a self-contained spec compiles at -O2, opset 17', () => {
    const r = compile('model m {\n  input 3 x 17 x 17\n  conv 3x3 out 8\n  dense layers [2, 1] growth 4 compression 0.29\n  bn\n  relu\n  avgpool global\n  linear 5\n  softmax\n}\n');
    expect(r.diagnostics).toEqual([]);
    const m = readModel(r.model!);
    expect(m.metadata.get('opt_level')).toBe('2');
    expect(m.metadata.get('opset')).toBe('17');
    expect(m.metadata.get('source')).toBe('input.dense');
  });

  test('without `readFile`, a `use` is an unreadable file, reported as a diagnostic', () => {
    const r = compile(one);
    expect(r.model).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });
});
