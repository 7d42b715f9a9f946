import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { readInitializers } from '../../src/emit/read-initializers.js';
import { emitOnnx } from '../../src/emit/onnx.js';
import { initWeights } from '../../src/ir/weights.js';
import { importWeights } from '../../src/weights/import.js';
import { namedParams } from '../../src/weights/names.js';
import { tiny } from './helpers.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const file = 'm.onnx';

function model(initializer: onnxProto.onnx.ITensorProto[]): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, graph: { name: 'g', initializer } })).finish();
}

describe('reading ONNX initializers', () => {
  it('reads float32 from raw_data and from float_data', () => {
    const raw = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    const { tensors, diagnostics } = readInitializers(
      model([
        { name: 'a', dataType: T.FLOAT, dims: [2], rawData: raw },
        { name: 'b', dataType: T.FLOAT, dims: [1, 2], floatData: [3, 4] },
      ]),
      file,
    );
    expect(diagnostics).toEqual([]);
    expect(tensors!.get('a')).toEqual({ dtype: 'F32', shape: [2], data: Float32Array.of(1.5, -2) });
    expect(tensors!.get('b')).toEqual({ dtype: 'F32', shape: [1, 2], data: Float32Array.of(3, 4) });
  });

  it('reads float16 and bfloat16 bits from int32_data, double from double_data, and integers without data', () => {
    const { tensors } = readInitializers(
      model([
        { name: 'h', dataType: T.FLOAT16, dims: [2], int32Data: [0x3c00, 0xc000] },
        { name: 'b', dataType: T.BFLOAT16, dims: [1], int32Data: [0x3f80] },
        { name: 'd', dataType: T.DOUBLE, dims: [1], doubleData: [0.1] },
        { name: 'shape', dataType: T.INT64, dims: [2], int64Data: [1, -1] },
      ]),
      file,
    );
    expect([...tensors!.get('h')!.data!]).toEqual([1, -2]);
    expect([...tensors!.get('b')!.data!]).toEqual([1]);
    expect(tensors!.get('d')).toEqual({ dtype: 'F64', shape: [1], data: Float32Array.of(Math.fround(0.1)) });
    expect(tensors!.get('shape')).toEqual({ dtype: 'I64', shape: [2], data: undefined });
  });

  it('reports what it cannot read (D0708) and keeps the rest', () => {
    const { tensors, diagnostics } = readInitializers(
      model([
        { name: 'far', dataType: T.FLOAT, dims: [1], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'x.data' }] },
        { name: 'short', dataType: T.FLOAT, dims: [3], rawData: new Uint8Array(8) },
        { name: 'few', dataType: T.FLOAT, dims: [3], floatData: [1] },
        { name: 'text', dataType: T.STRING, dims: [1], stringData: [new Uint8Array([65])] },
        { name: 'ok', dataType: T.FLOAT, dims: [], floatData: [1] },
      ]),
      file,
    );
    expect(diagnostics.map((d) => d.message)).toEqual([
      'initializer `far` in `m.onnx` cannot be read: its data is in an external file',
      'initializer `short` in `m.onnx` cannot be read: raw_data has 8 bytes, 12 expected for F32 [3]',
      'initializer `few` in `m.onnx` cannot be read: it holds 1 values, 3 expected for [3]',
      'initializer `text` in `m.onnx` cannot be read: element type STRING is not supported',
    ]);
    expect([...tensors!.keys()]).toEqual(['ok']);
  });

  it('reports bytes that are not an ONNX model (D0707)', () => {
    const { tensors, diagnostics } = readInitializers(Uint8Array.of(0xff, 0xff, 0xff), file);
    expect(tensors).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['D0707']);
    expect(diagnostics[0].message).toMatch(/^`m\.onnx` is not a valid ONNX model: /);
    expect(readInitializers(new Uint8Array(0), file).diagnostics[0].message).toBe('`m.onnx` is not a valid ONNX model: it has no graph');
  });

  it("round-trips densec's own -O0 model: its initializers import into a fresh graph", () => {
    const source = tiny();
    initWeights(source, { seed: 3, randomBnStats: true });
    const { model: bytes } = emitOnnx(source, { head: 'logits' });
    const { tensors, diagnostics } = readInitializers(bytes, file);
    expect(diagnostics).toEqual([]);
    const target = tiny();
    expect(importWeights(target, tensors!, file)).toMatchObject({ ok: true, diagnostics: [] });
    const values = (g: typeof target) => namedParams(g).map((p) => [...p.tensor.data!]);
    expect(values(target)).toEqual(values(source));
  });
});
