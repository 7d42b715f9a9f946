// emit/build.ts: stage outputs asked of a graph prepared without them. split-block-output removes
// each dense block's output value at -O2; the build that exposes stage outputs (the verifier's)
// optimizes again keeping them, and the plain build is unchanged.
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { emitPrepared, prepare, stagedGraph } from '../../src/emit/build.js';
import { stageOutput } from '../../src/ir/graph.js';
import { tinyDenseNet } from '../passes/helpers/specs.js';

const { onnx } = onnxProto;

/** Each graph output's name and dims after the batch dim. */
function outputs(model: Uint8Array): Map<string, number[]> {
  const g = onnx.ModelProto.decode(model).graph!;
  return new Map(g.output.map((v) => [v.name, v.type!.tensorType!.shape!.dim.map((d) => Number(d.dimValue)).slice(1)]));
}

describe('stage outputs of an -O2 build', () => {
  const { prepared } = prepare(tinyDenseNet(), { seed: 2 });
  const p = prepared!;
  const blockShape = stageOutput(p.lowered, 'dense_block_1')!.shape;

  test('the plain build splits the dense blocks\' outputs away', () => {
    expect(stageOutput(p.graph, 'dense_block_1')!.shape).not.toEqual(blockShape);
    expect(p.log.find((r) => r.name === 'split-block-output')!.changed).toBe(true);
  });

  test('emitted with stage outputs (from stagedGraph), every dense block output is there, with its shape', () => {
    const out = outputs(emitPrepared(p, { stageOutputs: true }, stagedGraph(p)).model);
    expect(out.get('stage.dense_block_1')).toEqual(blockShape);
    expect(out.get('stage.dense_block_2')).toEqual(stageOutput(p.lowered, 'dense_block_2')!.shape);
  });

  test('prepared with stage outputs, the optimized graph keeps them', () => {
    const kept = prepare(tinyDenseNet(), { seed: 2, stageOutputs: true }).prepared!;
    expect(stageOutput(kept.graph, 'dense_block_1')!.shape).toEqual(blockShape);
    expect(kept.log.find((r) => r.name === 'split-block-output')!.changed).toBe(false);
  });
});
