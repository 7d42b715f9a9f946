// The verifier passes good models and catches bad ones: tampered initializers, a wrong stage
// size, a false `is` claim; a `like` claim that differs is reported without failing; an
// unavailable execution provider is a D08 failure, not a report.
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { analyzeText } from '../../src/index.js';
import type { ModelSpec } from '../../src/check/spec.js';
import { editModel } from '../../src/emit/decode.js';
import { verifyModel, type ModelReport, type Verified } from '../../src/verify/verify.js';
import { providerInstalled } from '../../src/runtime/session.js';

const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

function specOf(text: string, name?: string): ModelSpec {
  const a = analyzeText(text, { fileName: 'specs/test.dense', readFile });
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return name ? a.models.find((m) => m.name === name)! : a.models[0];
}

const small = (claim = 'is "DenseNet (L=40, k=12)"') => specOf(`use "lib/cifar.dense"\nmodel m = densenet(depth = 40, k = 12) ${claim}\n`);

function reportOf(v: Verified): ModelReport {
  if (v.kind !== 'report') throw new Error(`expected a report, got ${v.kind}`);
  return v.report;
}

const status = (r: ModelReport) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));

describe('verifyModel', () => {
  test('passes DenseNet (L=40, k=12) against Table 2', async () => {
    const r = reportOf(await verifyModel(small(), { threads: 1 }));
    expect(status(r)).toEqual({ output: 'pass', finite: 'pass', softmax: 'pass', stages: 'pass', params: 'pass', paper: 'pass', cpu: 'skip' });
    expect(r.checks.find((c) => c.name === 'params')?.figure).toBe('1,019,722');
    expect(r.checks.find((c) => c.name === 'paper')?.figure).toBe('1.0M');
    expect(r.passed).toBe(true);
  });

  test('catches an extra initializer (the recount no longer matches the formula)', async () => {
    const tamper = (m: Uint8Array) =>
      editModel(m, (p) => {
        p.graph!.initializer!.push({ name: 'features.extra.weight', dims: [7], dataType: 1, rawData: new Uint8Array(28) });
      });
    const r = reportOf(await verifyModel(small(), { threads: 1, tamper }));
    expect(status(r).params).toBe('fail');
    expect(status(r).paper).toBe('fail');
    expect(r.checks.find((c) => c.name === 'params')?.detail).toContain('1,019,729 learnable in the file, 1,019,722 by the formula');
    expect(r.passed).toBe(false);
  });

  test('catches a NaN in a weight', async () => {
    const tamper = (m: Uint8Array) =>
      editModel(m, (p) => {
        const w = p.graph!.initializer!.find((t) => t.name === 'classifier.weight')!;
        new DataView(w.rawData!.buffer, w.rawData!.byteOffset).setFloat32(0, NaN, true);
      });
    const r = reportOf(await verifyModel(small(), { threads: 1, tamper }));
    expect(status(r).finite).toBe('fail');
    expect(r.passed).toBe(false);
  });

  test('catches a wrong stage size (a transition pool with stride 1)', async () => {
    const tamper = (m: Uint8Array) =>
      editModel(m, (p) => {
        const pool = p.graph!.node!.find((n) => n.opType === 'AveragePool')!;
        pool.attribute!.find((a) => a.name === 'strides')!.ints = [1, 1];
      });
    const r = reportOf(await verifyModel(small(), { threads: 1, tamper }));
    expect(status(r).stages).toBe('fail');
    expect(status(r).paper).toBe('fail');
    expect(r.checks.find((c) => c.name === 'stages')?.detail).toContain('transition_1 ran 160x31x31, the spec makes 160x16x16');
    expect(r.checks.find((c) => c.name === 'paper')?.detail).toContain('stage transition_1 31x31 (paper: 16x16)');
  });

  test('an `is` claim that does not hold fails, naming what differs', async () => {
    const r = reportOf(await verifyModel(small('is "DenseNet (L=100, k=12)"'), { threads: 1 }));
    expect(status(r).paper).toBe('fail');
    expect(r.checks.find((c) => c.name === 'paper')?.detail).toMatch(/^not DenseNet \(L=100, k=12\): blocks \[12, 12, 12\] \(paper: \[32, 32, 32\]\)/);
    expect(r.passed).toBe(false);
  });

  test('a `like` claim that does not hold is a note: the model still passes', async () => {
    const r = reportOf(await verifyModel(small('like "DenseNet-BC (L=100, k=12)"'), { threads: 1 }));
    expect(status(r).paper).toBe('note');
    expect(r.checks.find((c) => c.name === 'paper')?.figure).toBe('not DenseNet-BC (L=100, k=12)');
    expect(r.passed).toBe(true);
  });

  test('an unknown paper model fails an `is` claim (given as a ModelSpec: analysis reports D0430 first)', async () => {
    const spec = small();
    const r = reportOf(await verifyModel({ ...spec, claim: { ...spec.claim!, paper: 'DenseNet-122' } }, { threads: 1 }));
    expect(status(r).paper).toBe('fail');
  });

  test.skipIf(providerInstalled('cuda'))('an unavailable provider gives its D08 failure', async () => {
    const v = await verifyModel(small(), { ep: 'cuda' });
    expect(v.kind).toBe('unavailable');
    if (v.kind === 'unavailable') expect(v.failure.diagnostic.code).toBe('D0802');
  });
});
