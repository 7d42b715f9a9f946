// External data: initializers in `<model>.onnx.data` beside the model, loaded by onnxruntime
// from the model's path (it resolves `location` relative to the model file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { emitOnnx } from '../../src/emit/onnx.js';
import { readModel } from '../../src/emit/decode.js';
import { createSession, runFloat } from '../../src/runtime/session.js';
import { everyOp } from './graphs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-external-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(model: Uint8Array | string): Promise<Float32Array> {
  const opened = await createSession(model, { ep: 'cpu', threads: 1 });
  if (!opened.ok) throw new Error(`${opened.failure.diagnostic.message}: ${opened.failure.detail}`);
  const out = await runFloat(opened.session, 'image', new Float32Array(2 * 3 * 12 * 12).fill(0.5), [2, 3, 12, 12]);
  await opened.session.release();
  return out.get('probabilities')!.data;
}

test('forced external data loads in onnxruntime and computes what the inline model does', async () => {
  const inline = emitOnnx(everyOp());
  const external = emitOnnx(everyOp(), { externalData: true, externalDataLocation: 'every_op.onnx.data' });
  expect(inline.externalData).toBeUndefined();
  expect(external.externalData?.location).toBe('every_op.onnx.data');

  const m = readModel(external.model);
  expect(m.initializers.every((t) => t.external && t.data === undefined)).toBe(true);
  expect(external.model.length).toBeLessThan(inline.model.length);

  fs.writeFileSync(path.join(dir, 'every_op.onnx'), external.model);
  fs.writeFileSync(path.join(dir, 'every_op.onnx.data'), external.externalData!.bytes);
  expect(await run(path.join(dir, 'every_op.onnx'))).toEqual(await run(inline.model));
});

test('a model whose data file is missing does not load, and says so', async () => {
  const external = emitOnnx(everyOp(), { externalData: true, externalDataLocation: 'gone.onnx.data' });
  fs.writeFileSync(path.join(dir, 'gone.onnx'), external.model);
  const opened = await createSession(path.join(dir, 'gone.onnx'), { ep: 'cpu' });
  expect(opened.ok).toBe(false);
  if (!opened.ok) expect(opened.failure.diagnostic.code).toBe('D0805');
});

test('weights over the limit go to external data without being asked', () => {
  const total = readModel(emitOnnx(everyOp()).model).initializers.reduce((a, t) => a + 4 * t.elements, 0);
  expect(emitOnnx(everyOp(), { externalDataThreshold: total }).externalData).toBeUndefined();
  expect(emitOnnx(everyOp(), { externalDataThreshold: total - 1 }).externalData?.location).toBe('every_op.onnx.data');
});
