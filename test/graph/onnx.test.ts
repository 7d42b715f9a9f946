// `densec graph model.onnx`: the picture of an ONNX file as it is (src/graph/onnx.ts), on a file
// densec wrote and on torchvision's own export (skipped without Debian's torch): a box per node,
// an edge per node input that another node produces, every Concat input drawn, a cluster per
// dense layer found from the module paths in node or initializer names.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModel, type ModelInfo } from '../../src/emit/decode.js';
import { emitOnnx } from '../../src/emit/onnx.js';
import { onnxPicture } from '../../src/graph/onnx.js';
import { initWeights } from '../../src/ir/weights.js';
import type { Picture } from '../../src/graph/picture.js';
import { python, scratch, torchMissing } from '../parity/python.js';
import { specModels } from './helpers.js';

/** Edges a correct picture has: one per input of a drawn node that a drawn node (or the graph input) produces. */
function expectedEdges(info: ModelInfo, drawn: (i: number) => boolean) {
  const produced = new Set(info.inputs.map((t) => t.name));
  info.nodes.forEach((n, i) => drawn(i) && n.outputs.forEach((o) => produced.add(o)));
  const edges = info.nodes.reduce((k, n, i) => k + (drawn(i) ? n.inputs.filter((x) => produced.has(x)).length : 0), 0);
  const dense = info.nodes.reduce((k, n) => k + (n.opType === 'Concat' ? n.inputs.length - 1 : 0), 0);
  return { edges: edges + info.outputs.length, dense };
}

const layerClusters = (p: Picture) => p.clusters.flatMap((c) => c.clusters);

describe('a file densec wrote', () => {
  const { graph, spec } = specModels().find((m) => m.spec.name === 'densenet_40_12')!;
  initWeights(graph, { seed: 0 });
  const info = readModel(emitOnnx(graph).model, false);
  const p = onnxPicture(info, 'densenet_40_12.onnx');

  it('has a box per node and an edge per node input, every Concat input among them', () => {
    expect(p.boxes.filter((b) => b.kind === 'op')).toHaveLength(info.nodes.length);
    const want = expectedEdges(info, () => true);
    expect(p.edges.filter((e) => !e.invisible)).toHaveLength(want.edges);
    expect(p.edges.filter((e) => e.dense)).toHaveLength(want.dense);
    expect(want.dense).toBe(3 * ((12 * 13) / 2));
  });

  it('groups each dense layer in a cluster of its block', () => {
    const layers = spec.layers.filter((l) => l.kind === 'block').map((l) => (l.kind === 'block' ? l.layers : 0));
    expect(p.clusters.map((c) => c.clusters.length)).toEqual(layers);
  });
});

describe.skipIf(torchMissing !== undefined)(`torchvision's export${torchMissing ? ` (skipped: ${torchMissing})` : ''}`, () => {
  it('draws densenet121 as torch wrote it: every dense connection, a cluster per dense layer', () => {
    const { dir, remove } = scratch();
    try {
      const file = path.join(dir, 'tv121.onnx');
      const r = spawnSync(python, [path.join(import.meta.dirname, 'export_torchvision.py'), file, '64'], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      expect(r.status, r.stderr).toBe(0);
      const info = readModel(fs.readFileSync(file), false);
      const p = onnxPicture(info, 'tv121.onnx');
      const initializers = new Set(info.initializers.map((t) => t.name));
      const alias = (i: number) => info.nodes[i].opType === 'Identity' && initializers.has(info.nodes[i].inputs[0]);
      expect(p.boxes.filter((b) => b.kind === 'op')).toHaveLength(info.nodes.filter((_, i) => !alias(i)).length);
      const want = expectedEdges(info, (i) => !alias(i));
      expect(p.edges.filter((e) => !e.invisible)).toHaveLength(want.edges);
      expect(p.edges.filter((e) => e.dense)).toHaveLength(want.dense);
      // torchvision concatenates every earlier feature in each layer: L(L-1)/2 dense inputs per
      // block of L layers, plus L for the block's output.
      expect(want.dense).toBe([6, 12, 24, 16].reduce((k, l) => k + (l * (l - 1)) / 2 + l, 0));
      expect(p.clusters.map((c) => c.clusters.length)).toEqual([6, 12, 24, 16]);
      const boxes = new Map(p.boxes.map((b) => [b.id, b]));
      for (const layer of layerClusters(p)) expect(boxes.get(layer.boxes[0])!.title).toBe('Concat');
    } finally {
      remove();
    }
  }, 120_000);
});
