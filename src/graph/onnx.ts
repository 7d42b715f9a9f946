// The op-level picture of any ONNX file (`densec graph model.onnx`), from its decoded nodes
// (emit/decode.ts), so a densec file can be set beside another exporter's, e.g. torchvision's.
// One box per node (its op type), an edge per tensor a node reads from another node, with the
// shape on it when the file's value_info gives one. Nodes whose names carry torchvision's module
// path (`features.denseblock2.denselayer7.conv1`, or torch's `/features/denseblock2/...`) are
// grouped into a cluster per dense block and a row per dense layer, as the spec pictures are;
// the rest keeps file order. Every input of every node is drawn, Concat inputs included.
import type { ModelInfo } from '../emit/decode.js';
import type { Box, Cluster, Edge, Picture } from './picture.js';

/** The block/layer/stage a node name belongs to: `denseblock2`, `denselayer7`, `transition1`. */
function place(name: string): { block?: number; layer?: number; transition?: number } {
  const block = /denseblock(\d+)/.exec(name);
  const layer = /denselayer(\d+)/.exec(name);
  const transition = /transition(\d+)/.exec(name);
  return {
    ...(block ? { block: Number(block[1]) } : {}),
    ...(block && layer ? { layer: Number(layer[1]) } : {}),
    ...(transition ? { transition: Number(transition[1]) } : {}),
  };
}

export function onnxPicture(info: ModelInfo, title: string): Picture {
  const shapes = new Map([...info.inputs, ...info.valueInfo, ...info.outputs].map((t) => [t.name, t.dims.join('x')]));
  const producer = new Map<string, string>();
  const initializers = new Set(info.initializers.map((t) => t.name));
  const boxes: Box[] = [];
  for (const t of info.inputs.filter((t) => !initializers.has(t.name))) {
    const id = `in:${t.name}`;
    producer.set(t.name, id);
    boxes.push({ id, title: t.name, lines: [t.dims.join(' x ')], stage: 'io', kind: 'io', spine: true });
  }
  const blocks = new Map<number, { layers: Map<number, string[]>; rest: string[] }>();
  const stageOf = (p: ReturnType<typeof place>): string =>
    p.block !== undefined ? `dense_block_${p.block}` : p.transition !== undefined ? `transition_${p.transition}` : 'convolution';
  info.nodes.forEach((n, i) => {
    const id = `n${i}`;
    for (const o of n.outputs) producer.set(o, id);
    const p = place(n.name);
    boxes.push({ id, title: n.opType, lines: [], stage: stageOf(p), kind: 'op', tooltip: n.name || n.opType, spine: p.layer === undefined });
    if (p.block === undefined) return;
    const b = blocks.get(p.block) ?? { layers: new Map<number, string[]>(), rest: [] as string[] };
    if (p.layer === undefined) b.rest.push(id);
    else b.layers.set(p.layer, [...(b.layers.get(p.layer) ?? []), id]);
    blocks.set(p.block, b);
  });
  const clusters: Cluster[] = [...blocks].map(([block, b]) => ({
    id: `dense_block_${block}`,
    label: `Dense Block (${block})`,
    sublabel: `${b.layers.size} layers`,
    stage: `dense_block_${block}`,
    boxes: b.rest,
    clusters: [...b.layers].sort((x, y) => x[0] - y[0]).map(([layer, ids]) => ({
      id: `dense_block_${block}_layer${layer}`,
      label: `Layer ${layer}`,
      stage: `dense_block_${block}`,
      boxes: ids,
      clusters: [],
      row: true,
    })),
  }));

  const edges: Edge[] = [];
  info.nodes.forEach((n, i) => {
    n.inputs.forEach((x, j) => {
      const from = producer.get(x);
      if (from === undefined) return; // an initializer or an omitted optional input
      // A Concat's inputs before its last are dense connections (drawn thin, unranked).
      if (n.opType === 'Concat' && j < n.inputs.length - 1) return edges.push({ from, to: `n${i}`, dense: true });
      const label = shapes.get(x);
      edges.push({ from, to: `n${i}`, ...(label ? { label } : {}) });
    });
  });
  for (const t of info.outputs) {
    const id = `out:${t.name}`;
    boxes.push({ id, title: t.name, lines: [t.dims.join(' x ')], stage: 'io', kind: 'io', spine: true });
    const from = producer.get(t.name);
    if (from !== undefined) edges.push({ from, to: id, label: t.dims.join('x') });
  }
  const subtitle = `${info.nodes.length} ONNX nodes · opset ${info.opset} · ${info.producer.trim()}`;
  return { title, subtitle, level: 'ops', boxes, edges, clusters };
}
