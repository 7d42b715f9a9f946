// The layer-level picture: the block-level boxes, with each dense block drawn as a grid of its
// dense layers (rows of up to six, read left to right, top to bottom). Each layer says how many
// channels it reads (the block input and every earlier layer's output, concatenated) and how many
// it adds. A grid inside one box keeps the order exact, which Graphviz's own layout of separate
// boxes in rows does not.
import { addCounts, graphCounts, zeroCounts, type Counts } from '../ir/counts.js';
import type { Graph, Node } from '../ir/graph.js';
import { countsNote, inputBox, outputBox, stageBox } from './blocks.js';
import { convOf, describeConv, describeOp, describeShape, spatial } from './describe.js';
import { denseLayers, isDenseBlock, segments, type Box, type Cell, type Edge, type Picture, type Segment } from './picture.js';

/** Dense layers per row inside a block's box. */
export const LAYERS_PER_ROW = 6;

export function layerPicture(g: Graph): Picture {
  const counts = graphCounts(g);
  const boxes: Box[] = [inputBox(g)];
  const edges: Edge[] = [];
  for (const seg of segments(g)) {
    const stageCounts = counts.stages.get(seg.stage.name);
    const box = (isDenseBlock(seg.stage.name) ? blockGrid(seg, counts.nodes, stageCounts) : undefined) ?? stageBox(seg, stageCounts);
    edges.push({ from: boxes[boxes.length - 1].id, to: box.id, label: describeShape(seg.input.shape) });
    boxes.push(box);
  }
  const out = outputBox(g);
  edges.push({ from: boxes[boxes.length - 1].id, to: out.id, label: describeShape(g.output.shape) });
  boxes.push(out);
  return { title: g.name, level: 'layers', boxes, edges, clusters: [] };
}

/** A dense block as one box holding a cell per dense layer; undefined without layer scopes. */
function blockGrid(seg: Segment, nodeCounts: ReadonlyMap<Node, Counts>, counts: Counts | undefined): Box | undefined {
  const { layers } = denseLayers(seg.nodes);
  if (layers.length === 0) return undefined;
  let channels = seg.input.shape[0];
  const cells: Cell[] = layers.map((nodes, i) => {
    const reads = channels;
    const adds = nodes[nodes.length - 1].output.shape[0];
    channels += adds;
    const sum = nodes.reduce((c, n) => addCounts(c, nodeCounts.get(n) ?? zeroCounts), zeroCounts);
    return { title: `Layer ${i + 1}`, lines: [`reads ${reads}, adds ${adds}`], note: countsNote(sum) };
  });
  const grid: Cell[][] = [];
  for (let i = 0; i < cells.length; i += LAYERS_PER_ROW) grid.push(cells.slice(i, i + LAYERS_PER_ROW));
  const first = layers[0];
  const convs = first.map((n) => convOf(n.op)).filter((c) => c !== undefined).map(describeConv);
  const dropout = first.find((n) => n.op.kind === 'dropout');
  const growth = first[first.length - 1].output.shape[0];
  return {
    id: seg.stage.name,
    title: seg.stage.label,
    lines: [
      `${layers.length} x [${convs.join(', ')}${dropout ? `, ${describeOp(dropout.op)}` : ''}], k = ${growth}, ${seg.input.shape[0]} -> ${seg.output.shape[0]} channels, ${spatial(seg.output.shape) ?? ''}`,
      'each layer reads the block input and the outputs of every layer before it; the block outputs all of them, concatenated',
    ],
    note: countsNote(counts),
    stage: seg.stage.name,
    kind: 'stage',
    spine: true,
    grid,
  };
}
