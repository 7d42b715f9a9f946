// `densec run` end to end: the reference executor and onnxruntime on a seeded random input.
import { describe, expect, test } from 'vitest';
import { densec, root } from './cli.js';

function runJson(...args: string[]) {
  const r = densec('run', 'specs/cifar.dense', '--model', 'densenet_40_12', ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('densec run', () => {
  test('the reference executor and onnxruntime agree on the same seed', () => {
    const ref = runJson('--runtime', 'ref', '--seed', '3');
    const ort = runJson('--runtime', 'ort', '--seed', '3');
    expect(ref.shape).toEqual([1, 10]);
    expect(ort.shape).toEqual([1, 10]);
    const [a, b] = [ref.samples[0], ort.samples[0]];
    expect(a.top5.map((t: { index: number }) => t.index)).toEqual(b.top5.map((t: { index: number }) => t.index));
    a.top5.forEach((t: { value: number }, i: number) => expect(t.value).toBeCloseTo(b.top5[i].value, 5));
    expect(a.sum).toBeCloseTo(1, 5);
    expect(ref.ms).toBeGreaterThan(0);
    expect(ref.gmacPerSecond).toBeGreaterThan(0);
  });

  test('--batch with --check: every sample summarized, a different seed a different output', () => {
    const r = runJson('--batch', '2', '--check', '--seed', '4');
    expect(r.shape).toEqual([2, 10]);
    expect(r.samples).toHaveLength(2);
    expect(r.samples[0].top5).not.toEqual(r.samples[1].top5);
    expect(r.detail).toMatch(/checking mode/);
  });

  test('prints shape, top-5, sum and time', () => {
    const r = densec('run', 'specs/cifar.dense', '--model', 'densenet_40_12');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^densenet_40_12 \(-O2, ref: one arena of \d+ bytes, seed 0\)\n {2}output \[1, 10\]\n {2}top-5 (\d+:[\d.e-]+ {2}){4}\d+:[\d.e-]+ {3}sum 1\.0000\d*\n {2}time [\d.]+ ms, 0\.\d+ GMAC, [\d.]+ GMAC\/s\n/);
  });

  test('an unknown runtime is a usage error', () => {
    expect(densec('run', 'specs/cifar.dense', '--runtime', 'tpu').code).toBe(1);
  });
});
