// A statement's figures, read from a lowered model: the nodes lowering made for it (every node
// keeps its statement's span), the last one's output shape, and their counts (ir/counts.ts).
// A family's statements have figures only through a model that instantiates it: the file's own
// models first, then those of the open documents that use it, most recently touched first.
import type { Span } from '../diagnostics/span.js';
import { addCounts, graphCounts, zeroCounts, type Counts, type GraphCounts } from '../ir/counts.js';
import type { Dims, Graph, Node } from '../ir/graph.js';
import { asChw } from '../ir/summary.js';
import type { EntryAnalysis, LoweredModel, Workspace } from './workspace.js';
import { grouped } from '../diagnostics/grouped.js';

export interface StageFigures {
  readonly stage: string;
  readonly label: string;
  readonly shape: Dims;
  readonly counts: Counts;
}

export interface StatementFigures {
  readonly model: { readonly spec: LoweredModel['spec']; readonly graph: Graph };
  readonly analysis: EntryAnalysis;
  readonly shape: Dims;
  readonly counts: Counts;
  /** The Table 1 stages its nodes fall in, in order, with the part of each this statement made. */
  readonly stages: readonly StageFigures[];
}

const spanKey = (s: Span): string => `${s.file}:${s.start}:${s.end}`;
const nodeIndex = new WeakMap<Graph, Map<string, Node[]>>();
const countCache = new WeakMap<Graph, GraphCounts>();

function nodesBySpan(g: Graph): Map<string, Node[]> {
  let index = nodeIndex.get(g);
  if (!index) {
    index = new Map();
    for (const n of g.nodes) {
      const k = spanKey(n.span);
      const list = index.get(k);
      if (list) list.push(n);
      else index.set(k, [n]);
    }
    nodeIndex.set(g, index);
  }
  return index;
}

export function countsOf(g: Graph): GraphCounts {
  let c = countCache.get(g);
  if (!c) {
    c = graphCounts(g);
    countCache.set(g, c);
  }
  return c;
}

/** The figures of the statement written at `span`, from the first context model that has it. */
export function statementFigures(ws: Workspace, span: Span): StatementFigures | undefined {
  for (const analysis of ws.contexts(span.file)) {
    for (const model of analysis.models) {
      // Only a model with a layer from this statement is lowered.
      if (!model.spec.layers.some((l) => l.span.file === span.file && l.span.start === span.start && l.span.end === span.end)) continue;
      const g = model.graph;
      const nodes = g && nodesBySpan(g).get(spanKey(span));
      if (g && nodes) return figures({ spec: model.spec, graph: g }, analysis, nodes);
    }
  }
  return undefined;
}

function figures(model: StatementFigures['model'], analysis: EntryAnalysis, nodes: readonly Node[]): StatementFigures {
  const counts = countsOf(model.graph).nodes;
  const stages: StageFigures[] = [];
  let total = zeroCounts;
  for (const n of nodes) {
    const c = counts.get(n) ?? zeroCounts;
    total = addCounts(total, c);
    const last = stages[stages.length - 1];
    if (last && last.stage === n.stage) stages[stages.length - 1] = { ...last, shape: n.output.shape, counts: addCounts(last.counts, c) };
    else stages.push({ stage: n.stage, label: model.graph.stages.find((s) => s.name === n.stage)?.label ?? n.stage, shape: n.output.shape, counts: c });
  }
  return { model, analysis, shape: nodes[nodes.length - 1].output.shape, counts: total, stages };
}

/** `64 x 56 x 56`; a vector [F] as Table 1's `F x 1 x 1`, as `inspect --json` gives it. */
export function shapeText(shape: Dims): string {
  return asChw(shape).join(' x ');
}

export const countText = (n: number): string => grouped(n);

/** `2.83G`, `411.0M`, `9.4K`, `512`. */
export function shortText(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

/** `B1`, `T2`: a stage's short name in a hint. */
export function stageShort(stage: string): string {
  const m = /^(dense_block|transition)_(\d+)$/.exec(stage);
  return m ? `${m[1] === 'dense_block' ? 'B' : 'T'}${m[2]}` : stage;
}
