// A picture of a graph, before it is DOT: boxes, edges and clusters, each tagged with the stage
// it belongs to (for colour). Builders (blocks.ts, layers.ts, ops.ts) make one from the IR at a
// level of detail; dot.ts writes it out. Tests read pictures directly, without Graphviz.
import type { Graph, Node, Stage, Value } from '../ir/graph.js';

export type Level = 'blocks' | 'layers' | 'ops';
export const levels: readonly Level[] = ['blocks', 'layers', 'ops'];

/** The model's `is`/`like` claim, for titles. */
export interface Claim {
  readonly relation: 'is' | 'like';
  readonly paper: string;
}

export interface Box {
  readonly id: string;
  /** Bold first line. */
  readonly title: string;
  readonly lines: readonly string[];
  /** Small grey last line: parameter and MAC counts. */
  readonly note?: string;
  /** The Table 1 stage (for colour), or `io` for the input and output. */
  readonly stage: string;
  readonly kind: 'io' | 'stage' | 'layer' | 'op';
  /** Shown on hover in SVG viewers: the node's scope. */
  readonly tooltip?: string;
  /** Boxes of one spine: Graphviz keeps the edges between them straight (one column). */
  readonly spine?: boolean;
  /** Boxes drawn inside this one, in rows read left to right (a dense block's layers). */
  readonly grid?: readonly (readonly Cell[])[];
}

/** A box inside a box: one dense layer. */
export interface Cell {
  readonly title: string;
  readonly lines: readonly string[];
  readonly note?: string;
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  /** The shape or channel count that flows along it. */
  readonly label?: string;
  /** A dense connection (a concat input from earlier in its block): drawn thin, not ranked. */
  readonly dense?: boolean;
  /** Not drawn: only keeps its two boxes in one column. */
  readonly invisible?: boolean;
}

export interface Cluster {
  readonly id: string;
  readonly label: string;
  /** A second, plain line under the bold label. */
  readonly sublabel?: string;
  readonly stage: string;
  readonly boxes: readonly string[];
  readonly clusters: readonly Cluster[];
  /** Lay the boxes out side by side (a row), rather than top to bottom. */
  readonly row?: boolean;
}

export interface Picture {
  readonly title: string;
  /** Under the title: the model's totals, say. */
  readonly subtitle?: string;
  readonly level: Level;
  readonly boxes: readonly Box[];
  readonly edges: readonly Edge[];
  readonly clusters: readonly Cluster[];
}

/** The nodes of one stage, the value that enters it and the value it produces. */
export interface Segment {
  readonly stage: Stage;
  readonly nodes: readonly Node[];
  readonly input: Value;
  readonly output: Value;
}

/** The stages of `g` that have nodes, in order. */
export function segments(g: Graph): Segment[] {
  const out: Segment[] = [];
  for (const stage of g.stages) {
    const nodes = g.nodes.filter((n) => n.stage === stage.name);
    if (nodes.length === 0) continue;
    const inside = new Set(nodes);
    const entering = nodes.flatMap((n) => n.inputs).find((v) => !v.producer || !inside.has(v.producer));
    out.push({ stage, nodes, input: entering ?? nodes[0].inputs[0], output: nodes[nodes.length - 1].output });
  }
  return out;
}

/** Dense layer number of a node from its scope (`...denseblock2.denselayer7.conv1` -> 7). */
export function denseLayerOf(n: Node): number | undefined {
  const m = /\.denselayer(\d+)(?:\.|$)/.exec(n.scope);
  return m ? Number(m[1]) : undefined;
}

/** The nodes of a dense block stage grouped by dense layer, in order; others (the block's concat) apart. */
export function denseLayers(nodes: readonly Node[]): { layers: Node[][]; rest: Node[] } {
  const byLayer = new Map<number, Node[]>();
  const rest: Node[] = [];
  for (const n of nodes) {
    const l = denseLayerOf(n);
    if (l === undefined) rest.push(n);
    else byLayer.set(l, [...(byLayer.get(l) ?? []), n]);
  }
  return { layers: [...byLayer.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]), rest };
}

export const isDenseBlock = (stage: string): boolean => stage.startsWith('dense_block_');
export const isTransition = (stage: string): boolean => stage.startsWith('transition_');

/** Joins phrases with `, ` into lines of at most `width` characters (a phrase is never split). */
export function wrap(phrases: readonly string[], width = 42): string[] {
  const lines: string[] = [];
  for (const p of phrases) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 2 + p.length <= width) lines[last] += `, ${p}`;
    else lines.push(p);
  }
  return lines;
}
