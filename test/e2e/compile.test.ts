// `densec compile` end to end: the built CLI writing models into a temporary folder.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readModel } from '../../src/emit/decode.js';
import { createSession, runFloat } from '../../src/runtime/session.js';
import { densec, root } from './cli.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);
const small = (name = 'small', extra = '') =>
  `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel ${name} = densenet_bc(depth = 16, k = 4)\n${extra}`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-compile-'));
  fs.writeFileSync(at('small.dense'), small());
  fs.writeFileSync(at('two.dense'), small('first', 'model second = densenet_bc(depth = 16, k = 6)\n'));
  fs.writeFileSync(at('broken.dense'), 'model broken {\n  input 3 x 32 x 32\n  conv 3x3 out 0\n}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('densec compile', () => {
  test('writes densenet121 with its metadata: source, sha256 of the spec, version, opset', () => {
    const r = densec('compile', 'specs/densenet121.dense', '-o', at('d121.onnx'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*d121\.onnx \(30\.\d MiB, \d+ ONNX nodes from \d+ IR nodes, /m);
    const m = readModel(fs.readFileSync(at('d121.onnx')));
    const text = fs.readFileSync(path.join(root, 'specs/densenet121.dense'), 'utf8');
    expect(m.metadata.get('source')).toBe('densenet121.dense');
    expect(m.metadata.get('source_sha256')).toBe(createHash('sha256').update(text).digest('hex'));
    expect(m.metadata.get('densec_version')).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    expect(m.metadata.get('opset')).toBe('17');
    expect([m.opset, m.irVersion]).toEqual([17, 8]);
    expect(m.docString).toContain('7,978,856 learnable parameters');
    expect(m.initializers.map((t) => t.name)).toContain('features.denseblock1.denselayer1.norm1.running_var');
  });

  test('is byte-identical when run twice', () => {
    expect(densec('compile', at('small.dense'), '-o', at('a.onnx')).code).toBe(0);
    expect(densec('compile', at('small.dense'), '-o', at('b.onnx')).code).toBe(0);
    expect(fs.readFileSync(at('a.onnx')).equals(fs.readFileSync(at('b.onnx')))).toBe(true);
    expect(densec('compile', at('small.dense'), '-o', at('c.onnx'), '--seed', '1').code).toBe(0);
    expect(fs.readFileSync(at('a.onnx')).equals(fs.readFileSync(at('c.onnx')))).toBe(false);
  });

  test('writes <out-dir>/<name>.onnx for each model of a file', () => {
    const r = densec('compile', at('two.dense'), '--out-dir', at('many'));
    expect(r.code).toBe(0);
    expect(fs.readdirSync(at('many')).sort()).toEqual(['first.onnx', 'second.onnx']);
  });

  test('refuses -o for a file with several models, unless --model picks one', () => {
    const r = densec('compile', at('two.dense'), '-o', at('one.onnx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[D0608]');
    expect(densec('compile', at('two.dense'), '-o', at('one.onnx'), '--model', 'second').code).toBe(0);
    expect(readModel(fs.readFileSync(at('one.onnx'))).graphName).toBe('second');
    expect(densec('compile', at('two.dense'), '--model', 'third').stderr).toContain('error[D0604]: no model named `third`');
  });

  test('a spec error exits 2 with the rendered diagnostic and leaves no file', () => {
    const r = densec('compile', at('broken.dense'), '-o', at('broken.onnx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[D\d{4}\]/);
    expect(r.stderr).toContain('broken.dense:3:');
    expect(fs.existsSync(at('broken.onnx'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('never overwrites its input', () => {
    const before = fs.readFileSync(at('small.dense'), 'utf8');
    const r = densec('compile', at('small.dense'), '-o', at('small.dense'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[D0605]');
    expect(fs.readFileSync(at('small.dense'), 'utf8')).toBe(before);
  });

  test('a path it cannot write is D0609, and nothing is left behind', () => {
    fs.writeFileSync(at('a-file'), 'x');
    const r = densec('compile', at('small.dense'), '-o', path.join(at('a-file'), 'x.onnx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[D0609]');
  });

  test('opsets 13 to 21; others are refused with D0601', () => {
    const r = densec('compile', at('small.dense'), '-o', at('o12.onnx'), '--opset', '12');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[D0601]: opset 12 is not supported');
    expect(r.stderr).toContain('opsets 13 to 21');
    expect(fs.existsSync(at('o12.onnx'))).toBe(false);
    expect(densec('compile', at('small.dense'), '-o', at('o21.onnx'), '--opset', '21').code).toBe(0);
    expect(readModel(fs.readFileSync(at('o21.onnx'))).irVersion).toBe(10);
  });

  test('--head logits, -O0 and --explain', () => {
    const r = densec('compile', at('small.dense'), '-o', at('logits.onnx'), '--head', 'logits', '-O0', '--explain');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('small: -O0, no passes');
    expect(readModel(fs.readFileSync(at('logits.onnx'))).outputs[0].name).toBe('logits');
    const o2 = densec('compile', at('small.dense'), '-o', at('o2.onnx'), '-O2', '--explain');
    expect(o2.stdout).toMatch(/small: -O2, \d+ passes\n  pass +IR nodes +MACs +learnable params/);
  });

  test('--external-data writes <model>.onnx.data beside the model, and onnxruntime runs it', async () => {
    const r = densec('compile', at('small.dense'), '-o', at('ext.onnx'), '--external-data', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.models[0].externalData).toBe(at('ext.onnx.data'));
    const m = readModel(fs.readFileSync(at('ext.onnx')));
    expect(m.initializers.every((t) => t.external)).toBe(true);
    const opened = await createSession(at('ext.onnx'), { ep: 'cpu', threads: 1 });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const out = await runFloat(opened.session, 'image', new Float32Array(3 * 32 * 32).fill(0.1), [1, 3, 32, 32]);
    await opened.session.release();
    expect(out.get('probabilities')!.dims).toEqual([1, 10]);
  });
});
