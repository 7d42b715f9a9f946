// The pictures of every model in specs/: the right boxes with the right numbers. Channel counts
// are computed here from the elaborated spec (the paper's arithmetic), independently of the IR
// the pictures are drawn from.
import { describe, expect, it } from 'vitest';
import type { BlockSpec, ModelSpec } from '../../src/check/spec.js';
import { blockPicture } from '../../src/graph/blocks.js';
import { picture } from '../../src/graph/draw.js';
import { layerPicture } from '../../src/graph/layers.js';
import { opPicture } from '../../src/graph/ops.js';
import { reference as readReference } from '../ir/specs.js';
import { specModels } from './helpers.js';

const models = specModels();

interface Expected {
  readonly block: BlockSpec;
  readonly into: number;
  readonly out: number;
  readonly transition?: { readonly into: number; readonly out: number };
}

/** Channels in and out of each block and transition, from the spec alone. */
function expected(spec: ModelSpec): Expected[] {
  let c = spec.input.channels;
  const out: Expected[] = [];
  for (const layer of spec.layers) {
    if (layer.kind === 'conv') c = layer.out;
    if (layer.kind === 'block') {
      out.push({ block: layer, into: c, out: c + layer.layers * layer.growth });
      c += layer.layers * layer.growth;
    }
    if (layer.kind === 'transition') {
      const m = c;
      c = Math.floor(layer.compression * m + 1e-9);
      const last = out[out.length - 1];
      out[out.length - 1] = { ...last, transition: { into: m, out: c } };
    }
  }
  return out;
}

it('finds the models of specs/', () => {
  expect(models.map((m) => m.spec.name)).toContain('densenet121');
  expect(models.length).toBeGreaterThanOrEqual(12);
});

describe.each(models.map((m) => [m.spec.name, m] as const))('%s', (_name, { spec, graph }) => {
  const blocks = expected(spec);

  it('block level: one box per stage, one per dense block, with its layers, growth and channels', () => {
    const p = blockPicture(graph);
    const denseBoxes = p.boxes.filter((b) => b.stage.startsWith('dense_block_'));
    expect(denseBoxes).toHaveLength(blocks.length);
    blocks.forEach((e, i) => {
      const [layers, channels] = denseBoxes[i].lines;
      expect(denseBoxes[i].title).toBe(`Dense Block (${i + 1})`);
      expect(layers).toMatch(new RegExp(`^${e.block.layers} x \\[`));
      if (e.block.bottleneck) expect(layers).toContain(`1x1 conv ${e.block.bottleneck}, 3x3 conv ${e.block.growth}`);
      else expect(layers).toContain(`[3x3 conv ${e.block.growth}]`);
      expect(channels).toMatch(new RegExp(`^k = ${e.block.growth}, ${e.into} -> ${e.out} channels, \\d+x\\d+$`));
    });
    const transitions = p.boxes.filter((b) => b.stage.startsWith('transition_'));
    expect(transitions).toHaveLength(blocks.filter((e) => e.transition).length);
    transitions.forEach((t, i) => expect(t.lines.join(', ')).toContain(`1x1 conv ${blocks[i].transition!.into} -> ${blocks[i].transition!.out}, 2x2 avg pool`));
    expect(p.boxes[0].id).toBe('input');
    expect(p.boxes[p.boxes.length - 1].id).toBe('output');
    expect(p.edges).toHaveLength(p.boxes.length - 1);
  });

  it('layer level: a cell per dense layer, reading the block input and every earlier layer', () => {
    const p = layerPicture(graph);
    const grids = p.boxes.filter((b) => b.grid);
    expect(grids).toHaveLength(blocks.length);
    grids.forEach((g, i) => {
      const cells = g.grid!.flat();
      const { block, into } = blocks[i];
      expect(cells).toHaveLength(block.layers);
      expect(cells[cells.length - 1].lines[0]).toBe(`reads ${into + (block.layers - 1) * block.growth}, adds ${block.growth}`);
    });
  });

  it('op level: a box for every node and an edge into each, in a cluster per dense layer', () => {
    const p = opPicture(graph);
    expect(p.boxes.filter((b) => b.kind === 'op')).toHaveLength(graph.nodes.length);
    const layerClusters = p.clusters.flatMap((c) => c.clusters);
    expect(layerClusters).toHaveLength(blocks.reduce((n, e) => n + e.block.layers, 0));
    const drawn = p.edges.filter((e) => !e.invisible);
    expect(drawn).toHaveLength(graph.nodes.reduce((k, n) => k + n.inputs.length, 0) + 1);
  });

  it('op level: every input of every concat is an edge (every dense connection)', () => {
    const p = opPicture(graph);
    const drawn = new Set(p.edges.filter((e) => !e.invisible).map((e) => `${e.from}->${e.to}`));
    const concats = graph.nodes.filter((n) => n.op.kind === 'concat');
    expect(concats.length).toBeGreaterThan(0);
    const missing = concats.flatMap((c) => c.inputs.map((v) => `${v.producer ? `n${v.producer.id}` : 'input'}->n${c.id}`)).filter((e) => !drawn.has(e));
    expect(missing).toEqual([]);
    // -O0: a layer's concat reads the block input and every earlier layer, so a block of L layers has L(L+1)/2 such edges.
    const dense = p.edges.filter((e) => e.dense).length;
    expect(dense).toBe(concats.reduce((k, c) => k + c.inputs.length - 1, 0));
    expect(dense).toBe(blocks.reduce((k, e) => k + (e.block.layers * (e.block.layers + 1)) / 2, 0));
  });
});

describe('densenet121 against the reference (test oracle only)', () => {
  const reference = readReference() as any;
  const ref = reference.imagenet.models.densenet121;
  const { graph } = models.find((m) => m.spec.name === 'densenet121')!;

  it('labels the stages with Table 1 channel counts and sizes', () => {
    const boxes = new Map(blockPicture(graph).boxes.map((b) => [b.id, b]));
    for (const i of [1, 2, 3, 4]) {
      const size = reference.imagenet.table1_output_sizes[`dense_block_${i}`];
      expect(boxes.get(`dense_block_${i}`)!.lines[1]).toContain(`-> ${ref.stage_channels[`dense_block_${i}`]} channels, ${size}x${size}`);
    }
    expect(boxes.get('transition_1')!.lines.join(', ')).toBe('1x1 conv 256 -> 128, 2x2 avg pool, 28x28');
    expect(boxes.get('dense_block_1')!.lines).toEqual(['6 x [1x1 conv 128, 3x3 conv 32]', 'k = 32, 64 -> 256 channels, 56x56']);
  });

  it('gives the model\'s claim, input and totals under the title', () => {
    expect(picture(graph, 'blocks', { relation: 'is', paper: 'DenseNet-121' }).subtitle).toBe(
      `is "DenseNet-121" · input 3 x 224 x 224 · ${ref.learnable.toLocaleString('en-US')} parameters · ${ref.macs.toLocaleString('en-US')} MACs`,
    );
  });
});
