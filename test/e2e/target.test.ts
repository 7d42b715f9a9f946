// `densec compile --target` and `--concat`: each runtime's measured form, recorded in the
// metadata, and the least-memory form, each computing what the default -O2 form computes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readModel } from '../../src/emit/decode.js';
import { densec, probabilitiesOf, root } from './cli.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-target-'));
  fs.writeFileSync(at('small.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 22, k = 4)\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const probabilities = (file: string, input: Float32Array): Promise<Float32Array> => probabilitiesOf(file, input, [1, 3, 32, 32]);

describe('densec compile --target', () => {
  test('onnxruntime keeps the split form; opencv and portable one Concat per layer and no Add; all compute the same', async () => {
    const ops = new Map<string, string[]>();
    for (const target of ['onnxruntime', 'opencv', 'portable']) {
      const r = densec('compile', at('small.dense'), '-o', at(`${target}.onnx`), '--target', target, '--random-bn-stats', '--quiet');
      expect(r.code).toBe(0);
      const bytes = fs.readFileSync(at(`${target}.onnx`));
      expect(readModel(bytes).metadata.get('target')).toBe(target);
      ops.set(target, readModel(bytes).nodes.map((n) => n.opType));
    }
    expect(ops.get('onnxruntime')).toContain('Add');
    for (const t of ['opencv', 'portable']) expect(ops.get(t)).not.toContain('Add');
    expect(densec('compile', at('small.dense'), '-o', at('default.onnx'), '--random-bn-stats', '--quiet').code).toBe(0);
    const input = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.cos(0.3 * i));
    const reference = await probabilities(at('default.onnx'), input);
    for (const t of ['onnxruntime', 'opencv', 'portable']) {
      const p = await probabilities(at(`${t}.onnx`), input);
      p.forEach((v, i) => expect(Math.abs(v - reference[i])).toBeLessThan(1e-5));
    }
  });

  test('--concat none writes no Concat at all and computes the same; it and --target exclude each other', async () => {
    const r = densec('compile', at('small.dense'), '-o', at('none.onnx'), '--concat', 'none', '--random-bn-stats', '--quiet');
    expect(r.code).toBe(0);
    const ops = readModel(fs.readFileSync(at('none.onnx')), false).nodes.map((n) => n.opType);
    expect(ops).not.toContain('Concat');
    expect(ops).toContain('Add');
    expect(densec('compile', at('small.dense'), '-o', at('default.onnx'), '--random-bn-stats', '--quiet').code).toBe(0);
    const input = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(0.7 * i));
    const [a, b] = [await probabilities(at('none.onnx'), input), await probabilities(at('default.onnx'), input)];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
    const both = densec('compile', at('small.dense'), '-o', at('both.onnx'), '--concat', 'none', '--target', 'opencv');
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--concat.*cannot be used with.*--target/);
    expect(fs.existsSync(at('both.onnx'))).toBe(false);
  });
});
