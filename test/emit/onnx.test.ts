// Emission: structure of the ONNX model (names, value_info, opset and IR version, metadata),
// determinism, every op kind checked numerically in onnxruntime against a naive evaluator.
import { describe, expect, test } from 'vitest';
import { emitOnnx } from '../../src/emit/onnx.js';
import { readModel } from '../../src/emit/decode.js';
import { irVersionFor, maxOpset, minOpset } from '../../src/emit/opset.js';
import { createSession, runFloat } from '../../src/runtime/session.js';
import { Rng } from '../../src/ir/weights.js';
import type { Graph } from '../../src/ir/graph.js';
import { everyOp, paddedPoolLinear } from './graphs.js';
import { naiveRun } from './naive.js';

const sample = (n: number, seed = 1): Float32Array => {
  const r = new Rng(seed, 'test');
  return Float32Array.from({ length: n }, () => r.normal());
};

/** Runs `bytes` on two samples in onnxruntime and compares with the naive evaluator. */
async function expectMatchesNaive(g: Graph, bytes: Uint8Array, tolerance = 1e-4): Promise<void> {
  const per = g.input.shape.reduce((a, b) => a * b, 1);
  const input = sample(2 * per);
  const opened = await createSession(bytes, { ep: 'cpu', threads: 1 });
  if (!opened.ok) throw new Error(opened.failure.detail);
  const outputs = await runFloat(opened.session, 'image', input, [2, ...g.input.shape]);
  await opened.session.release();
  const name = [...outputs.keys()][0];
  const got = outputs.get(name)!.data;
  const outPer = got.length / 2;
  for (let s = 0; s < 2; s++) {
    const want = naiveRun(g, Float64Array.from(input.subarray(s * per, (s + 1) * per)));
    expect(want.length).toBe(outPer);
    for (let i = 0; i < outPer; i++) expect(Math.abs(got[s * outPer + i] - want[i])).toBeLessThan(tolerance);
  }
}

describe('the emitted model', () => {
  const g = everyOp();
  const bytes = emitOnnx(g, { metadata: [['source', 'hand.dense']], docString: 'summary' }).model;
  const m = readModel(bytes);

  test('is opset 17, IR version 8, from densec', () => {
    expect(m.opset).toBe(17);
    expect(m.irVersion).toBe(8);
    expect(m.producer).toMatch(/^densec /);
    expect(m.metadata.get('source')).toBe('hand.dense');
    expect(m.docString).toBe('summary');
  });

  test('takes `image` [N, 3, H, W] and gives `probabilities` [N, classes]', () => {
    expect(m.inputs).toEqual([{ name: 'image', dims: ['N', 3, 12, 12] }]);
    expect(m.outputs).toEqual([{ name: 'probabilities', dims: ['N', 5] }]);
  });

  test('names initializers and nodes as torchvision does', () => {
    const names = m.initializers.map((t) => t.name);
    expect(names).toContain('features.conv0.weight');
    expect(names).toContain('features.conv0.bias');
    expect(names).toContain('features.norm0.running_mean');
    expect(names).toContain('features.denseblock1.denselayer1.norm1.weight'); // the BN half of a fused node
    expect(names).toContain('features.denseblock1.denselayer1.conv1.weight');
    expect(names).toContain('features.transition1.conv.weight');
    expect(names).toContain('classifier.weight');
    expect(new Set(names).size).toBe(names.length);
    const nodes = m.nodes.map((n) => n.name);
    expect(nodes).toContain('features.denseblock1.denselayer1.relu1');
    expect(new Set(nodes).size).toBe(nodes.length);
  });

  test('describes every intermediate tensor in value_info, with the symbolic batch', () => {
    const produced = m.nodes.flatMap((n) => n.outputs);
    const outputs = new Set(m.outputs.map((o) => o.name));
    const described = new Set(m.valueInfo.map((v) => v.name));
    for (const name of produced) if (!outputs.has(name)) expect(described.has(name), name).toBe(true);
    for (const v of m.valueInfo) expect(v.dims[0]).toBe('N');
  });

  test('omits dropout and writes the fused node as BatchNormalization, Relu, Conv', () => {
    const ops = m.nodes.map((n) => n.opType);
    expect(ops).not.toContain('Identity');
    expect(ops).not.toContain('Dropout');
    expect(ops.slice(4, 7)).toEqual(['BatchNormalization', 'Relu', 'Conv']);
  });

  test('is byte-identical when emitted twice', () => {
    expect(Buffer.from(emitOnnx(everyOp(), { metadata: [['source', 'hand.dense']], docString: 'summary' }).model).equals(Buffer.from(bytes))).toBe(true);
  });

  test('computes what the naive evaluator computes, every op kind', async () => {
    await expectMatchesNaive(g, bytes);
  });
});

describe('emit options', () => {
  test('the affine form of a fused node computes the same', async () => {
    const g = everyOp();
    const bytes = emitOnnx(g, { fusedForm: 'affine' }).model;
    expect(readModel(bytes).nodes.map((n) => n.opType).slice(4, 8)).toEqual(['Mul', 'Add', 'Relu', 'Conv']);
    await expectMatchesNaive(g, bytes);
  });

  test('dropout as Identity computes the same', async () => {
    const g = everyOp();
    const bytes = emitOnnx(g, { dropout: 'identity' }).model;
    expect(readModel(bytes).nodes.filter((n) => n.opType === 'Identity')).toHaveLength(1);
    await expectMatchesNaive(g, bytes);
  });

  test("head 'logits' drops the softmax and names the output `logits`", () => {
    const m = readModel(emitOnnx(everyOp(), { head: 'logits' }).model);
    expect(m.outputs.map((o) => o.name)).toEqual(['logits']);
    expect(m.nodes.map((n) => n.opType)).not.toContain('Softmax');
  });

  test('a verification build exposes each stage output as `stage.<name>`', () => {
    const e = emitOnnx(everyOp(), { stageOutputs: true });
    const m = readModel(e.model);
    expect(m.outputs.map((o) => o.name)).toEqual([
      'probabilities', 'stage.convolution', 'stage.pooling', 'stage.dense_block_1', 'stage.transition_1', 'stage.classification',
    ]);
    expect(m.outputs[3].dims).toEqual(['N', 16, 3, 3]);
    expect([...e.stageOutputs.keys()]).toHaveLength(5);
  });

  test('a linear on a spatial map gets a Flatten; a padded average pool counts the padding', async () => {
    const g = paddedPoolLinear();
    const bytes = emitOnnx(g).model;
    const m = readModel(bytes);
    expect(m.nodes.map((n) => n.opType)).toEqual(['Conv', 'AveragePool', 'Flatten', 'Gemm']);
    expect(m.outputs[0].name).toBe('logits');
    await expectMatchesNaive(g, bytes);
  });

  test.each(Array.from({ length: maxOpset - minOpset + 1 }, (_, i) => minOpset + i))('opset %i loads in onnxruntime', async (opset) => {
    const bytes = emitOnnx(everyOp(), { opset }).model;
    const m = readModel(bytes);
    expect(m.opset).toBe(opset);
    expect(m.irVersion).toBe(irVersionFor(opset));
    const opened = await createSession(bytes, { ep: 'cpu', threads: 1 });
    expect(opened.ok).toBe(true);
    if (opened.ok) await opened.session.release();
  });

  test('IR versions: the lowest that carries each opset', () => {
    expect([13, 14, 15, 17, 18, 19, 21].map(irVersionFor)).toEqual([7, 7, 8, 8, 8, 9, 10]);
  });
});
