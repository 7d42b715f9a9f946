// The op-level picture: every node of the IR as a small box, with the shape it produces on each
// edge. Stages are clusters; inside a dense block each dense layer is a cluster of its own. The
// ops of a dense layer (concat, BN, ReLU, conv, ...), and of each other stage, form a row, and
// the rows stack top to bottom, their first boxes in one column.
// A concat's last input, the layer just before it, is drawn as an edge; its other inputs (the
// dense connections back to the block input and every earlier layer) are named in its box
// instead: drawn, they are n^2 edges per block that bury the picture and take Graphviz minutes
// (densenet264: 7 minutes with them, seconds without).
import type { Graph, Node, Value } from '../ir/graph.js';
import { describeOp, describeShape } from './describe.js';
import { denseLayerOf, denseLayers, isDenseBlock, segments, type Box, type Cluster, type Edge, type Picture } from './picture.js';

const idOf = (n: Node): string => `n${n.id}`;

export function opPicture(g: Graph): Picture {
  const boxes: Box[] = [
    { id: 'input', title: 'input', lines: [describeShape(g.input.shape)], stage: 'io', kind: 'io', spine: true },
  ];
  const clusters: Cluster[] = [];
  const edges: Edge[] = [];
  // The first box of every row, top to bottom: invisible edges keep them in one column.
  const firsts: string[] = ['input'];
  for (const seg of segments(g)) {
    const { layers, rest } = isDenseBlock(seg.stage.name) ? denseLayers(seg.nodes) : { layers: [], rest: seg.nodes };
    const inner: Cluster[] = layers.map((nodes, i) => ({
      id: `${seg.stage.name}_layer${i + 1}`,
      label: `Layer ${i + 1}`,
      stage: seg.stage.name,
      boxes: nodes.map(idOf),
      clusters: [],
      row: true,
    }));
    for (const nodes of layers) {
      boxes.push(...nodes.map((n, j) => opBox(n, j === 0)));
      firsts.push(idOf(nodes[0]));
      // Invisible links keep a row in node order where its data does not (-O2's sums of convs).
      for (let j = 1; j < nodes.length; j++) edges.push({ from: idOf(nodes[j - 1]), to: idOf(nodes[j]), invisible: true });
    }
    // Outside dense blocks a stage's ops are one row, as a dense layer's are; a block's own
    // nodes (its concat) go under its layers, one per row.
    const row = layers.length === 0;
    boxes.push(...rest.map((n, j) => opBox(n, !row || j === 0)));
    firsts.push(...(row ? rest.slice(0, 1) : rest).map(idOf));
    const sublabel = layers.length > 0 ? `${layers.length} layers, ${seg.input.shape[0]} -> ${seg.output.shape[0]} channels` : undefined;
    clusters.push({ id: seg.stage.name, label: seg.stage.label, sublabel, stage: seg.stage.name, boxes: rest.map(idOf), clusters: inner, row });
  }
  firsts.push('output');
  for (let i = 1; i < firsts.length; i++) edges.push({ from: firsts[i - 1], to: firsts[i], invisible: true });
  const producer = (v: Value): string => (v.producer ? idOf(v.producer) : 'input');
  for (const n of g.nodes) {
    // A concat's last input is the layer just before it; the others are the dense connections.
    n.inputs.forEach((v, i) => {
      const dense = n.op.kind === 'concat' && i < n.inputs.length - 1;
      edges.push(dense ? { from: producer(v), to: idOf(n), dense } : { from: producer(v), to: idOf(n), label: compact(v.shape) });
    });
  }
  boxes.push({ id: 'output', title: 'output', lines: [describeShape(g.output.shape)], stage: 'io', kind: 'io', spine: true });
  edges.push({ from: producer(g.output), to: 'output', label: compact(g.output.shape) });
  return { title: g.name, level: 'ops', boxes, edges, clusters };
}

function opBox(n: Node, spine: boolean): Box {
  const lines = n.op.kind === 'concat' ? [concatSources(n)] : [];
  return { id: idOf(n), title: describeOp(n.op), lines, stage: n.stage, kind: 'op', tooltip: n.scope, spine };
}

/** `input + layers 1-5`: what a dense concat joins, from its inputs' scopes. */
function concatSources(n: Node): string {
  const names = n.inputs.map((v) => {
    const layer = v.producer ? denseLayerOf(v.producer) : undefined;
    return layer === undefined ? 'input' : String(layer);
  });
  const layers = names.filter((x) => x !== 'input');
  const from = names.includes('input') ? 'input' : '';
  if (layers.length === 0) return `${from} (${n.inputs.length})`;
  const run = layers.length === 1 ? `layer ${layers[0]}` : `layers ${layers[0]}-${layers[layers.length - 1]}`;
  return from ? `${from} + ${run}` : run;
}

/** `128x56x56`: short enough for an edge. */
function compact(shape: readonly number[]): string {
  return shape.join('x');
}
