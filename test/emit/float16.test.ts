// `dtype: 'float16'`: half-precision initializers and intermediate values, float32 at the
// boundaries (a Cast after `image`, one before the output), and the tolerance against float32
// measured in onnxruntime on densenet121 with random weights and random BatchNorm statistics.
// (onnxruntime 1.30's CPU provider has float16 kernels only for data movement such as Concat and
// Flatten; it wraps Conv, BatchNormalization, pools, Relu, Gemm and Softmax in Casts to float32
// itself, so on CPU the error comes from float16 storage of weights and activations.)
import fs from 'node:fs';
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { floatToHalf, halfBytes } from '../../src/emit/half.js';
import { emitOnnx } from '../../src/emit/onnx.js';
import { compile, createSession, runFloat } from '../../src/index.js';
import { halfToFloat } from '../../src/weights/tensor.js';
import { everyOp } from './graphs.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

describe('floatToHalf', () => {
  test.each([
    [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], [2 ** -25, 0x0000], [3 * 2 ** -26, 0x0001], [2 ** -14, 0x0400], [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [0.1, 0x2e66], [-0, 0x8000],
  ])('%d -> %i (nearest, ties to even)', (x, bits) => {
    expect(floatToHalf(x)).toBe(bits);
  });

  test('is exact on every half value, and NaN stays NaN', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = halfToFloat(h);
      if (Number.isNaN(x)) expect(Number.isNaN(halfToFloat(floatToHalf(x)))).toBe(true);
      else expect(floatToHalf(x)).toBe(h);
    }
  });

  test('rounds to within half an ulp (relative 2^-11) in the normal range', () => {
    const xs = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 2 ** ((i % 28) - 13));
    for (const x of xs) expect(Math.abs(halfToFloat(floatToHalf(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 2 ** -25);
    expect(halfBytes(Float32Array.of(1, -2))).toEqual(Uint8Array.of(0x00, 0x3c, 0x00, 0xc0));
  });
});

describe('a float16 model', () => {
  test('float32 image in, Cast, float16 inside (initializers and value_info), Cast, float32 out', () => {
    const m = onnx.ModelProto.decode(emitOnnx(everyOp(), { dtype: 'float16', stageOutputs: true }).model);
    const g = m.graph!;
    expect(g.input.map((v) => v.type!.tensorType!.elemType)).toEqual([T.FLOAT]);
    expect(g.output.every((v) => v.type!.tensorType!.elemType === T.FLOAT)).toBe(true);
    expect(g.initializer.every((t) => t.dataType === T.FLOAT16 && t.rawData.length > 0)).toBe(true);
    expect(g.valueInfo.every((v) => v.type!.tensorType!.elemType === T.FLOAT16)).toBe(true);
    expect(g.node[0]).toMatchObject({ opType: 'Cast', input: ['image'], output: ['image.float16'] });
    const last = g.node.find((n) => n.output[0] === g.output[0].name)!;
    expect(last).toMatchObject({ opType: 'Cast', input: [`${g.output[0].name}.float16`] });
    expect(g.node.filter((n) => n.opType === 'Cast')).toHaveLength(1 + g.output.length);
  });

  test('densenet121: half the bytes, and within the measured tolerance of float32 in onnxruntime', async () => {
    const file = 'specs/densenet121.dense';
    const outputs: Record<string, Float32Array[]> = {};
    const bytes: Record<string, number> = {};
    for (const dtype of ['float32', 'float16'] as const) {
      for (const head of ['logits', 'softmax'] as const) {
        const r = compile(readFile(file)!, { fileName: file, readFile, dtype, head, seed: 1, randomBnStats: true });
        if (head === 'logits') bytes[dtype] = r.model!.length;
        const opened = await createSession(r.model!, { threads: 1 });
        if (!opened.ok) throw new Error(opened.failure.detail);
        const key = `${dtype} ${head}`;
        outputs[key] = [];
        for (let s = 0; s < 2; s++) {
          const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37 + s) * 1.5);
          outputs[key].push([...(await runFloat(opened.session, 'image', x, [1, 3, 224, 224])).values()][0].data);
        }
        await opened.session.release();
      }
    }
    const worst = (head: string) => {
      let abs = 0;
      let max = 0;
      outputs[`float32 ${head}`].forEach((a, s) => a.forEach((v, i) => {
        abs = Math.max(abs, Math.abs(v - outputs[`float16 ${head}`][s][i]));
        max = Math.max(max, Math.abs(v));
      }));
      return { abs, max };
    };
    const logits = worst('logits');
    const probabilities = worst('softmax');
    console.log(`float16 vs float32, densenet121: ${bytes.float16} vs ${bytes.float32} bytes; max |logit diff| ${logits.abs.toExponential(2)} (|logits| <= ${logits.max.toFixed(2)}), max |probability diff| ${probabilities.abs.toExponential(2)}`);
    expect(bytes.float16 / bytes.float32).toBeCloseTo(0.5, 2);
    // Measured: 7.6e-3 on logits up to 9.4 (8e-4 relative), 3.7e-4 on probabilities; 2x margin.
    expect(logits.abs).toBeLessThan(2e-3 * logits.max);
    expect(probabilities.abs).toBeLessThan(1e-3);
  }, 60_000);
});
