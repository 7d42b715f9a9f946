// Differential testing over generated specs (generate.ts), a fixed-seed sample sized for CI:
// each spec compiles, its closed form equals its lowering, `verify` passes, -O0/-O1/-O2 agree in
// onnxruntime with random BatchNorm statistics, and the reference executor agrees with
// onnxruntime. A failure is shrunk by fast-check to a minimal spec, printed with the failure.
// `npm run fuzz -- --count N --seed S` runs more (test/fuzz/run.ts).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkSample } from './check.js';
import { drive } from '../../src/driver.js';
import { sourceOptions } from './check.js';
import { fits, unfitSpec, validSpec } from './generate.js';

const seed = 20261202;
const numRuns = Number(process.env.FUZZ_RUNS ?? 80);

describe('generated specs', () => {
  test('the generator writes valid specs that fit (sizes and channels stay positive)', () => {
    const samples = fc.sample(validSpec, { seed, numRuns: 200 });
    expect(samples.every((s) => fits(s.structure))).toBe(true);
    // Every form and style shows up in a CI-sized sample.
    const texts = samples.map((s) => s.text + Object.values(s.files).join(''));
    for (const needle of ['dense layers', 'dense depth', '\n  block ', 'transition compression', 'use "', 'family net(', 'let k', 'maxpool', 'avgpool 2x2', ' / 3', 'bias', 'bottleneck']) {
      expect(texts.some((t) => t.includes(needle)), needle).toBe(true);
    }
    const layers = samples.map((s) => s.structure.layers);
    expect(layers.some((l) => l.filter((x) => x.kind === 'conv').length === 2), 'a second stem conv').toBe(true);
    const dense = (x: { kind: string }) => x.kind === 'block' || x.kind === 'transition';
    const looseBetween = (l: { kind: string }[]) => l.some((x, i) => x.kind === 'bn' && i > 0 && dense(l[i - 1]) && l.slice(i).some(dense));
    expect(layers.some(looseBetween), 'a loose bn between dense blocks').toBe(true);
  });

  test('specs that shrink a map or a channel count below 1 are refused with a diagnostic, never an exception', () => {
    fc.assert(
      fc.property(unfitSpec, (s) => {
        const driven = drive(s.text, { ...sourceOptions(s), one: true });
        expect(driven.failure).toBe('spec');
        expect(driven.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^D05\d\d$/)]));
      }),
      { seed, numRuns: 60 },
    );
  });

  test(`${numRuns} specs: compile, closed form, verify, -O0/-O1/-O2 and the reference executor agree`, async () => {
    await fc.assert(
      fc.asyncProperty(validSpec, async (s) => {
        const failures = await checkSample(s);
        if (failures.length > 0) throw new Error(`${failures.join('\n')}\n--- spec ---\n${s.text}${Object.entries(s.files).map(([p, t]) => `--- ${p} ---\n${t}`).join('')}`);
      }),
      { seed, numRuns },
    );
  }, 300_000);
});
