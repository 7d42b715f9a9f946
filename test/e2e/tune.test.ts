// `densec tune` end to end: every form measured, the fastest written with its choice and timings
// in the metadata, and the written form computing what the default -O2 form computes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readModel } from '../../src/emit/decode.js';
import { densec, probabilitiesOf, root } from './cli.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-tune-'));
  fs.writeFileSync(at('small.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 16, k = 4)\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const probabilities = (file: string, input: Float32Array): Promise<Float32Array> => probabilitiesOf(file, input, [2, 3, 32, 32]);

describe('densec tune', () => {
  test('measures every form, writes the fastest and records the choice; it computes what -O2 does', async () => {
    const r = densec('tune', at('small.dense'), '-o', at('tuned.onnx'), '--runs', '3', '--batch', '2', '--random-bn-stats', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { chosen: string; forms: { name: string; medianMs: number }[] };
    expect(result.forms.map((f) => f.name)).toEqual(['split', 'concat', 'mul-add']);
    const fastest = result.forms.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
    expect(result.chosen).toBe(fastest.name);

    const m = readModel(fs.readFileSync(at('tuned.onnx')));
    expect(m.metadata.get('tuned_form')).toBe(result.chosen);
    expect(m.metadata.get('tuned_for')).toMatch(/^onnxruntime cpu, batch 2, 1 thread\(s\), median of 3 alternating rounds$/);
    expect(m.metadata.get('tuned_ms')).toMatch(/^split [\d.]+, concat [\d.]+, mul-add [\d.]+$/);

    expect(densec('compile', at('small.dense'), '-o', at('o2.onnx'), '--random-bn-stats', '--quiet').code).toBe(0);
    const input = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i));
    const [a, b] = [await probabilities(at('tuned.onnx'), input), await probabilities(at('o2.onnx'), input)];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
  });

  test('a spec with two models needs --model', () => {
    fs.writeFileSync(at('two.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel a = densenet_bc(depth = 16, k = 4)\nmodel b = densenet_bc(depth = 16, k = 6)\n`);
    const r = densec('tune', at('two.dense'), '--runs', '3');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('D0608');
  });
});
