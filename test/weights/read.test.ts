import { describe, expect, it } from 'vitest';
import { emitOnnx } from '../../src/emit/onnx.js';
import { initWeights } from '../../src/ir/weights.js';
import { readWeights, weightsFormat } from '../../src/weights/read.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { tiny } from './helpers.js';

describe('reading a weights file of either format', () => {
  const safetensors = writeSafetensors([['x', { shape: [1], data: Float32Array.of(2) }]]);
  const g = tiny();
  initWeights(g, { seed: 1 });
  const onnx = emitOnnx(g, { head: 'logits' }).model;

  it('tells the format by name, else by the JSON after the header length', () => {
    expect(weightsFormat(safetensors, 'w.bin')).toBe('safetensors');
    expect(weightsFormat(onnx, 'w.bin')).toBe('onnx');
    expect(weightsFormat(onnx, 'w.SAFETENSORS')).toBe('safetensors');
    expect(weightsFormat(safetensors, 'w.onnx')).toBe('onnx');
  });

  it('reads both into named tensors', () => {
    expect(readWeights(safetensors, 'w.bin').tensors!.get('x')!.data).toEqual(Float32Array.of(2));
    const fromOnnx = readWeights(onnx, 'm.onnx');
    expect(fromOnnx.diagnostics).toEqual([]);
    expect(fromOnnx.tensors!.get('features.conv0.weight')!.shape).toEqual([8, 3, 7, 7]);
  });

  it('reports a damaged file in the terms of its format', () => {
    expect(readWeights(safetensors.subarray(0, 20), 'w.safetensors').diagnostics.map((d) => d.code)).toEqual(['D0701']);
    expect(readWeights(Uint8Array.of(0xff, 0xff), 'm.onnx').diagnostics.map((d) => d.code)).toEqual(['D0707']);
  });
});
