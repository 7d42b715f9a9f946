// OpenCV's DNN module (4.6, Debian's python3-opencv) as a second runtime: every model of specs/
// (-O2, default opset 17, full input size, logits head, random BatchNorm statistics) loads with
// cv2.dnn.readNetFromONNX and its logits match onnxruntime's on the same input within 1e-4; the opsets 13..21 and the other
// emitted forms (-O0, the affine fused form) on a small model; and float16, which OpenCV 4.6
// cannot read (its ONNX importer has no FLOAT16 initializers). One Python process for all.
// Skipped, saying why, when the reference Python (scripts/python.ts) cannot import cv2.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileAll, createSession, runFloat, type CompileOptions } from '../../src/index.js';
import { Rng } from '../../src/ir/weights.js';
import { python, pythonLacks } from '../../scripts/python.js';

const script = path.join(import.meta.dirname, 'opencv_run.py');
const skipReason = pythonLacks(['cv2', 'numpy'], ['python3-opencv']);
if (skipReason) console.warn(`test/opencv skipped: ${skipReason}`);

const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

interface Case {
  readonly label: string;
  readonly model: string;
  readonly input: string;
  readonly shape: number[];
  readonly output: string;
  /** onnxruntime's output on the same input. */
  ours?: Float32Array;
}

interface CvResult {
  model: string;
  ok: boolean;
  shape?: number[];
  error?: string;
  forward_s?: number;
}

let dir: string;
const cases: Case[] = [];
const results = new Map<string, CvResult>();

/** Compiles, writes the model and a seeded input, and runs it in onnxruntime (float16: not run). */
async function addCases(file: string, text: string, options: Partial<CompileOptions>, suffix: string): Promise<void> {
  const r = compileAll(text, { fileName: file, readFile, head: 'logits', randomBnStats: true, ...options });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  for (const m of r.models) {
    const label = `${m.name}${suffix}`;
    const shape = [1, ...m.graph.input.shape];
    const rng = new Rng(cases.length, 'opencv');
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
    const c: Case = { label, model: path.join(dir, `${label}.onnx`), input: path.join(dir, `${label}.in`), shape, output: path.join(dir, `${label}.out`) };
    fs.writeFileSync(c.model, m.model);
    fs.writeFileSync(c.input, new Uint8Array(x.buffer));
    if (options.dtype !== 'float16') {
      const opened = await createSession(m.model, { threads: 1 });
      if (!opened.ok) throw new Error(opened.failure.detail);
      c.ours = (await runFloat(opened.session, 'image', x, shape)).get('logits')!.data;
      await opened.session.release();
    }
    cases.push(c);
  }
}

const small = `use "${path.resolve('specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 16, k = 4)\n`;

beforeAll(async () => {
  if (skipReason) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-opencv-'));
  const started = performance.now();
  for (const f of fs.readdirSync('specs').filter((n) => n.endsWith('.dense')).sort()) {
    const file = path.join('specs', f);
    await addCases(file, fs.readFileSync(file, 'utf8'), {}, '');
  }
  for (let opset = 13; opset <= 21; opset++) await addCases('small.dense', small, { opset }, `.opset${opset}`);
  await addCases('small.dense', small, { optLevel: 0 }, '.O0');
  await addCases('small.dense', small, { fusedForm: 'affine' }, '.affine');
  await addCases('small.dense', small, { dtype: 'float16' }, '.float16');
  const compiled = performance.now();
  const manifest = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifest, JSON.stringify(cases.map(({ model, input, shape, output }) => ({ model, input, shape, output }))));
  const r = spawnSync(python, [script, manifest], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`opencv_run.py failed (${r.status}): ${r.stderr}`);
  for (const line of r.stdout.trim().split('\n')) {
    const result = JSON.parse(line) as CvResult;
    results.set(result.model, result);
  }
  console.log(`opencv: ${cases.length} models compiled and run in onnxruntime in ${((compiled - started) / 1000).toFixed(1)} s, OpenCV ${((performance.now() - compiled) / 1000).toFixed(1)} s`);
}, 240_000);
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function difference(c: Case): number {
  const bytes = fs.readFileSync(c.output);
  const theirs = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  expect(theirs.length).toBe(c.ours!.length);
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(theirs[i] - c.ours![i]));
  return worst;
}

describe.skipIf(skipReason !== undefined)('OpenCV DNN (cv2.dnn.readNetFromONNX)', () => {
  test('loads every spec model and gives onnxruntime\'s logits within 1e-4', () => {
    const specModels = cases.filter((c) => !c.label.includes('.'));
    expect(specModels.length).toBeGreaterThanOrEqual(12);
    const report: string[] = [];
    for (const c of specModels) {
      const r = results.get(c.model)!;
      expect(r, c.label).toMatchObject({ ok: true, shape: [1, c.ours!.length] });
      const worst = difference(c);
      report.push(`${c.label} ${worst.toExponential(1)} (${r.forward_s} s)`);
      expect(worst, c.label).toBeLessThan(1e-4);
    }
    console.log(`opencv vs onnxruntime, max |logit difference|: ${report.join(', ')}`);
  });

  test('reads every opset densec emits (13..21), -O0 and the affine fused form', () => {
    for (const c of cases.filter((x) => /\.(opset\d+|O0|affine)$/.test(x.label))) {
      expect(results.get(c.model), c.label).toMatchObject({ ok: true });
      expect(difference(c), c.label).toBeLessThan(1e-4);
    }
  });

  test('cannot read float16 models: OpenCV 4.6 has no FLOAT16 initializers (a limit of OpenCV, stated in the README)', () => {
    const c = cases.find((x) => x.label.endsWith('.float16'))!;
    expect(results.get(c.model)).toMatchObject({ ok: false, error: expect.stringMatching(/Unsupported data type: FLOAT16/) });
  });
});
