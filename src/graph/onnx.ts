// The op-level picture of any ONNX file (`densec graph model.onnx`), from its decoded nodes
// (emit/decode.ts), so a densec file can be set beside another exporter's, e.g. torchvision's.
// One box per node (its op type; Identity nodes of initializers, weight aliases, left out), an
// edge per tensor a node reads from another node, with the
// shape on it when the file's value_info gives one. Every input of every node is drawn, Concat
// inputs included. Nodes are grouped into a cluster per dense block and a row per dense layer,
// as the spec pictures are, by torchvision's module path (`features.denseblock2.denselayer7`):
// in the node's name (densec's files), else in the initializers it reads (torch's export names
// nodes `Conv_12` but keeps the state-dict names of the weights), else where its first reader is.
import type { ModelInfo } from '../emit/decode.js';
import type { Box, Cluster, Edge, Picture } from './picture.js';

interface Place {
  readonly block?: number;
  readonly layer?: number;
  readonly transition?: number;
}

/**
 * The block/layer/transition a name's module path gives (`denseblock2`, `denselayer7`,
 * `transition1`); {} for a path outside them (`features.conv0`, `classifier`); undefined for
 * a name without one (`Conv_12`, `onnx::Relu_5`).
 */
function placeIn(name: string): Place | undefined {
  const block = /denseblock(\d+)/.exec(name);
  const layer = /denselayer(\d+)/.exec(name);
  const transition = /transition(\d+)/.exec(name);
  if (!block && !transition) return /\b(features|classifier)\b/.test(name) ? {} : undefined;
  return {
    ...(block ? { block: Number(block[1]) } : {}),
    ...(block && layer ? { layer: Number(layer[1]) } : {}),
    ...(transition ? { transition: Number(transition[1]) } : {}),
  };
}

/**
 * Each node's place: from its name, else its initializers' names (through Identity aliases),
 * else its first input's producer (a ReLU goes with its BN), else its first reader (a dense
 * layer's Concat goes with the BN that reads it, not with the layer before).
 */
function places(info: ModelInfo): Place[] {
  const origin = new Map<string, string>();
  for (const n of info.nodes) if (n.opType === 'Identity' && n.inputs.length === 1) origin.set(n.outputs[0], origin.get(n.inputs[0]) ?? n.inputs[0]);
  const producer = new Map<string, number>();
  const readers = new Map<string, number>();
  info.nodes.forEach((n, i) => {
    n.outputs.forEach((o) => producer.set(o, i));
    n.inputs.forEach((x) => readers.has(x) || readers.set(x, i));
  });
  const out: (Place | undefined)[] = info.nodes.map((n) => [n.name, ...n.inputs.map((x) => origin.get(x) ?? x)].map(placeIn).find((p) => p !== undefined));
  info.nodes.forEach((n, i) => {
    const from = producer.get(n.inputs[0]);
    if (out[i] === undefined && n.opType !== 'Concat' && from !== undefined) out[i] = out[from];
  });
  for (let i = info.nodes.length - 1; i >= 0; i--) {
    const reader = info.nodes[i].outputs.map((o) => readers.get(o)).find((r) => r !== undefined);
    if (out[i] === undefined && reader !== undefined) out[i] = out[reader];
  }
  return out.map((p) => p ?? {});
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
  const stageOf = (p: Place): string =>
    p.block !== undefined ? `dense_block_${p.block}` : p.transition !== undefined ? `transition_${p.transition}` : 'convolution';
  const placed = places(info);
  // An Identity of an initializer (torch's export has one per shared weight) is a weight's alias,
  // not a computation: not drawn, counted in the subtitle, as initializers are not drawn.
  const alias = (i: number) => info.nodes[i].opType === 'Identity' && initializers.has(info.nodes[i].inputs[0]);
  const aliases = info.nodes.filter((_, i) => alias(i)).length;
  info.nodes.forEach((n, i) => {
    if (alias(i)) return;
    const id = `n${i}`;
    for (const o of n.outputs) producer.set(o, id);
    const p = placed[i];
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
    if (alias(i)) return;
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
  const drawn = aliases > 0 ? ` (${aliases} Identity nodes of initializers not drawn)` : '';
  const subtitle = `${info.nodes.length} ONNX nodes${drawn} · opset ${info.opset} · ${info.producer.trim()}`;
  return { title, subtitle, level: 'ops', boxes, edges, clusters };
}
