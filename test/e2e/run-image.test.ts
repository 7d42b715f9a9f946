// `densec run --input` end to end: a PNG and a JPEG made here go through the CLI's ImageNet
// preprocessing and the model; the top-5 must be sorted probabilities with class names and match
// onnxruntime run directly on the same preprocessed tensor. Also: a .onnx file run as it is
// (a logits head gets a softmax), and broken images.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { imagenetClasses } from '../../src/image/classes.js';
import { readImageInput } from '../../src/image/input.js';
import { compile, createSession, runFloat } from '../../src/index.js';
import { encodePng, syntheticPhoto } from '../image/fixtures.js';
import { densec, root } from './cli.js';

interface Top {
  index: number;
  name: string;
  probability: number;
}

let dir: string;
const at = (name: string): string => path.join(dir, name);
// A small member of the ImageNet family (1000 classes, 64 x 64 input): the same code path as
// densenet121, a fraction of the time.
const spec = `use "${path.join(root, 'specs/lib/imagenet.dense')}"\nmodel tiny = imagenet(blocks = [2, 2], k = 8, size = 64)\n`;
const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-run-image-'));
  fs.writeFileSync(at('tiny.dense'), spec);
  fs.writeFileSync(at('photo.png'), encodePng(120, 90, syntheticPhoto(120, 90, 3), 6));
  const rgba = Buffer.from(syntheticPhoto(80, 100, 4));
  fs.writeFileSync(at('photo.jpg'), jpeg.encode({ data: rgba, width: 80, height: 100 }, 90).data);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What onnxruntime gives for the same model (same seed) on the same preprocessed image. */
async function direct(image: string, head: 'softmax' | 'logits' = 'softmax'): Promise<Float32Array> {
  const r = compile(spec, { fileName: at('tiny.dense'), readFile, seed: 0, head });
  const { input } = await readImageInput(fs.readFileSync(image), image, { name: 'tiny', inputShape: [3, 64, 64] });
  const opened = await createSession(r.model!, { threads: 1 });
  if (!opened.ok) throw new Error(opened.failure.detail);
  const out = await runFloat(opened.session, 'image', input!.data, input!.shape);
  await opened.session.release();
  return [...out.values()][0].data;
}

function checkTop5(top5: Top[]): void {
  expect(top5).toHaveLength(5);
  for (const t of top5) expect(t.name).toBe(imagenetClasses[t.index]);
  const p = top5.map((t) => t.probability);
  expect([...p].sort((a, b) => b - a)).toEqual(p);
  expect(p.every((x) => x > 0)).toBe(true);
  expect(p.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
}

describe('densec run --input', () => {
  test('a PNG and a JPEG in one batch: sorted top-5 with ImageNet names, as onnxruntime gives them', async () => {
    const r = densec('run', at('tiny.dense'), '--input', at('photo.png'), '--input', at('photo.jpg'), '--runtime', 'ort', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.shape).toEqual([2, 1000]);
    expect(report.samples.map((s: { input: string }) => s.input)).toEqual([at('photo.png'), at('photo.jpg')]);
    for (const [i, image] of ['photo.png', 'photo.jpg'].entries()) {
      const sample = report.samples[i];
      checkTop5(sample.top5);
      expect(sample.softmaxApplied).toBe(false);
      expect(sample.sum).toBeCloseTo(1, 5);
      const expected = await direct(at(image));
      for (const t of sample.top5 as Top[]) expect(Math.abs(t.probability - expected[t.index])).toBeLessThan(1e-6);
      const order = [...expected.keys()].sort((a, b) => expected[b] - expected[a]).slice(0, 5);
      expect(sample.top5.map((t: Top) => t.index)).toEqual(order);
    }
  });

  test('the reference executor gives the same top-5; the text output names each class', () => {
    const ref = JSON.parse(densec('run', at('tiny.dense'), '--input', at('photo.png'), '--json').stdout);
    const ort = JSON.parse(densec('run', at('tiny.dense'), '--input', at('photo.png'), '--runtime', 'ort', '--json').stdout);
    expect(ref.samples[0].top5.map((t: Top) => t.index)).toEqual(ort.samples[0].top5.map((t: Top) => t.index));
    ref.samples[0].top5.forEach((t: Top, i: number) => expect(t.probability).toBeCloseTo(ort.samples[0].top5[i].probability, 5));
    const text = densec('run', at('tiny.dense'), '--input', at('photo.png'));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^tiny \(-O2, ref: one arena of \d+ bytes\)\n {2}output \[1, 1000\]\n {2}.*photo\.png\n( {4}[1-5]\. [01]\.\d{4} {2}.+ \(\d+\)\n){5} {2}time /);
  });

  test('a .onnx file runs in onnxruntime as it is; a logits head gets a softmax', async () => {
    expect(densec('compile', at('tiny.dense'), '--head', 'logits', '-o', at('tiny-logits.onnx')).code).toBe(0);
    const r = densec('run', at('tiny-logits.onnx'), '--input', at('photo.jpg'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ model: 'tiny', runtime: 'ort', shape: [1, 1000] });
    const sample = report.samples[0];
    expect(sample.softmaxApplied).toBe(true);
    checkTop5(sample.top5);
    const probabilities = await direct(at('photo.jpg'));
    for (const t of sample.top5 as Top[]) expect(Math.abs(t.probability - probabilities[t.index])).toBeLessThan(1e-6);
  });

  test('broken and non-image files: a diagnostic and exit 2; a missing one exit 66', () => {
    fs.writeFileSync(at('truncated.png'), fs.readFileSync(at('photo.png')).subarray(0, 200));
    fs.writeFileSync(at('notes.png'), 'not an image');
    const cases: [string, RegExp, number][] = [
      ['truncated.png', /^error\[D0752\]: cannot decode `.*truncated\.png` as PNG: /m, 2],
      ['notes.png', /^error\[D0751\]: `.*notes\.png` is not a PNG, JPEG or WebP image$/m, 2],
      ['absent.jpg', /^error\[D0754\]: cannot read the image `.*absent\.jpg`: no such file$/m, 66],
    ];
    for (const [file, message, code] of cases) {
      const r = densec('run', at('tiny.dense'), '--input', at(file));
      expect(r.code, file).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  test('options that do not fit: --batch with --input, spec options on a .onnx file (exit 1)', () => {
    expect(densec('run', at('tiny.dense'), '--input', at('photo.png'), '--batch', '2').code).toBe(1);
    const r = densec('run', at('tiny-logits.onnx'), '--weights', at('w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[D0610\]: `--weights` does not apply to an ONNX model/m);
  });
});
