// The op-level picture: every node of the IR as a small box, with the shape it produces on each
// edge. Stages are clusters; inside a dense block each dense layer is a cluster of its own, laid
// out as a row (concat, BN, ReLU, conv, ...), and the layers stack top to bottom. A concat's
// first input from the previous layer is an ordinary edge; its other inputs (the dense
// connections back to the block input and every earlier layer) are light dashed edges that the
// layout ignores, so the picture stays a column of rows.
import type { Graph, Node, Value } from '../ir/graph.js';
import { describeOp, describeShape } from './describe.js';
import { denseLayers, isDenseBlock, segments, type Box, type Cluster, type Edge, type Picture } from './picture.js';

const idOf = (n: Node): string => `n${n.id}`;

export function opPicture(g: Graph): Picture {
  const boxes: Box[] = [
    { id: 'input', title: 'input', lines: [describeShape(g.input.shape)], stage: 'io', kind: 'io', spine: true },
  ];
  const clusters: Cluster[] = [];
  const edges: Edge[] = [];
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
    layers.forEach((nodes, i) => {
      boxes.push(...nodes.map((n, j) => opBox(n, j === 0)));
      // Keeps the first box of each layer in one column.
      if (i > 0) edges.push({ from: idOf(layers[i - 1][0]), to: idOf(nodes[0]), invisible: true });
    });
    boxes.push(...rest.map((n) => opBox(n, true)));
    clusters.push({ id: seg.stage.name, label: seg.stage.label, stage: seg.stage.name, boxes: rest.map(idOf), clusters: inner });
  }
  const producer = (v: Value): string => (v.producer ? idOf(v.producer) : 'input');
  for (const n of g.nodes) {
    n.inputs.forEach((v, i) => {
      // A concat's last input is the layer just before it; earlier ones are dense connections.
      const skip = n.op.kind === 'concat' && i < n.inputs.length - 1;
      edges.push(skip ? { from: producer(v), to: idOf(n), skip: true } : { from: producer(v), to: idOf(n), label: compact(v.shape) });
    });
  }
  boxes.push({ id: 'output', title: 'output', lines: [describeShape(g.output.shape)], stage: 'io', kind: 'io', spine: true });
  edges.push({ from: producer(g.output), to: 'output', label: compact(g.output.shape) });
  return { title: g.name, level: 'ops', boxes, edges, clusters };
}

function opBox(n: Node, spine: boolean): Box {
  return { id: idOf(n), title: describeOp(n.op), lines: [], stage: n.stage, kind: 'op', tooltip: n.scope, spine };
}

/** `128x56x56`: short enough for an edge. */
function compact(shape: readonly number[]): string {
  return shape.join('x');
}
