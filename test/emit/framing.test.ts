// emitOnnx frames the initializers by hand around views of the weights (emit/onnx.ts): the bytes
// must be exactly what protobufjs writes for the same message, and the weights must not be copied.
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { emitOnnx, joined } from '../../src/emit/onnx.js';
import { everyOp } from './graphs.js';

const { onnx } = onnxProto;
const reencoded = (bytes: Uint8Array): Uint8Array => onnx.ModelProto.encode(onnx.ModelProto.decode(bytes)).finish();

describe('hand-framed initializers', () => {
  test.each([
    ['inline float32', {}],
    ['inline float16', { dtype: 'float16' as const }],
    ['external data', { externalData: true }],
  ])('%s: the bytes are protobufjs encoding of the same message', (_, options) => {
    const e = emitOnnx(everyOp(), options);
    expect(Buffer.from(reencoded(e.model)).equals(Buffer.from(e.model))).toBe(true);
    expect(e.modelParts.byteLength).toBe(e.model.length);
    expect(Buffer.from(joined(e.modelParts)).equals(Buffer.from(e.model))).toBe(true);
  });

  test('float32 weights are written from views of the tensors, not copies', () => {
    const g = everyOp();
    const buffers = new Set(g.nodes.flatMap((n) => (n.op.kind === 'conv' ? [n.op.weight.data!.buffer] : [])));
    expect(buffers.size).toBeGreaterThan(0);
    for (const options of [{}, { externalData: true }]) {
      const e = emitOnnx(g, options);
      const parts = e.externalData ? e.externalData.parts.parts : e.modelParts.parts;
      for (const b of buffers) expect(parts.some((p) => p.buffer === b)).toBe(true);
    }
  });

  test('external data: every tensor at a 64-byte aligned offset, the file is their parts in order', () => {
    const e = emitOnnx(everyOp(), { externalData: true });
    const m = onnx.ModelProto.decode(e.model);
    const data = e.externalData!;
    expect(data.bytes.length).toBe(data.parts.byteLength);
    for (const t of m.graph!.initializer!) {
      const at = Object.fromEntries(t.externalData!.map((kv) => [kv.key, kv.value]));
      expect(Number(at.offset) % 64).toBe(0);
      expect(Number(at.offset) + Number(at.length)).toBeLessThanOrEqual(data.bytes.length);
    }
  });
});
