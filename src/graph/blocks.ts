// The block-level picture: one box per Table 1 stage, in order, between the input and output.
//   Dense Block (1)      6 x [1x1 conv 128, 3x3 conv 32]
//                        k = 32, 64 -> 256 channels, 56x56
//   Transition Layer (1) 1x1 conv 256 -> 128, 2x2 avg pool, 28x28
// Inside dense blocks and transitions the BN-ReLU before each conv is the structure's own (the
// paper's composite function) and goes unsaid; in the stem and head every op is listed.
import { graphCounts, type Counts } from '../ir/counts.js';
import type { Graph, Node } from '../ir/graph.js';
import { convOf, describeConv, describeOp, describeShape, grouped, spatial } from './describe.js';
import { denseLayers, isDenseBlock, isTransition, segments, wrap, type Box, type Edge, type Picture, type Segment } from './picture.js';

export function blockPicture(g: Graph): Picture {
  const counts = graphCounts(g).stages;
  const boxes: Box[] = [inputBox(g)];
  const edges: Edge[] = [];
  for (const seg of segments(g)) {
    const box = stageBox(seg, counts.get(seg.stage.name));
    edges.push({ from: boxes[boxes.length - 1].id, to: box.id, label: describeShape(seg.input.shape) });
    boxes.push(box);
  }
  const out = outputBox(g);
  edges.push({ from: boxes[boxes.length - 1].id, to: out.id, label: describeShape(g.output.shape) });
  boxes.push(out);
  return { title: g.name, level: 'blocks', boxes, edges, clusters: [] };
}

export function inputBox(g: Graph): Box {
  return { id: 'input', title: 'input', lines: [describeShape(g.input.shape)], stage: 'io', kind: 'io', spine: true };
}

export function outputBox(g: Graph): Box {
  return { id: 'output', title: 'output', lines: [describeShape(g.output.shape)], stage: 'io', kind: 'io', spine: true };
}

/** `params 335,040 · MACs 1,606,418,432`. */
export function countsNote(c: Counts | undefined): string | undefined {
  if (!c || (c.learnable === 0 && c.macs === 0)) return undefined;
  return `params ${grouped(c.learnable)} · MACs ${grouped(c.macs)}`;
}

export function stageBox(seg: Segment, counts: Counts | undefined): Box {
  const where = spatial(seg.output.shape) ?? `${seg.output.shape[0]} features`;
  const name = seg.stage.name;
  let lines: string[];
  if (isDenseBlock(name)) lines = denseBlockLines(seg) ?? wrap([...seg.nodes.map((n) => describeOp(n.op)), where]);
  else if (isTransition(name)) lines = wrap([...structuralOps(seg.nodes), where]);
  else lines = wrap([...seg.nodes.map((n) => describeOp(n.op)), where]);
  return { id: name, title: seg.stage.label, lines, note: countsNote(counts), stage: name, kind: 'stage', spine: true };
}

/**
 * `6 x [1x1 conv 128, 3x3 conv 32]` and `k = 32, 64 -> 256 channels, 56x56`, from the nodes:
 * undefined when the block's nodes carry no dense-layer scopes.
 */
function denseBlockLines(seg: Segment): string[] | undefined {
  const { layers } = denseLayers(seg.nodes);
  if (layers.length === 0) return undefined;
  const first = layers[0];
  const convs = first.map((n) => convOf(n.op)).filter((c) => c !== undefined).map(describeConv);
  const growth = first[first.length - 1].output.shape[0];
  const dropout = first.find((n) => n.op.kind === 'dropout');
  const lines = [`${layers.length} x [${convs.join(', ')}]`, `k = ${growth}, ${seg.input.shape[0]} -> ${seg.output.shape[0]} channels, ${spatial(seg.output.shape)}`];
  if (dropout) lines.push(`${describeOp(dropout.op)} after each conv`);
  return lines;
}

/** A transition's convs (`1x1 conv 256 -> 128`), pools and dropout: its BN-ReLU is implied. */
function structuralOps(nodes: readonly Node[]): string[] {
  return nodes
    .filter((n) => n.op.kind !== 'batchnorm' && n.op.kind !== 'relu')
    .map((n) => {
      const conv = convOf(n.op);
      return conv ? `${conv.kernel[0]}x${conv.kernel[1]} conv ${n.inputs[0].shape[0]} -> ${conv.outChannels}` : describeOp(n.op);
    });
}
