// A model summary in the manner of torchinfo / Keras summary(): one row per Table 1 stage with its
// output shape, learnable parameters and MACs, optionally expanded into layers, then totals.
// Pure: builds data from a Graph and renders it as text or JSON; the CLI prints it.
//
// Depth 1 lists stages. Depth d >= 2 also lists, inside each stage, runs of consecutive nodes
// that share the first d + 1 components of their scope: at depth 2 the dense layers
// (features.denseblock1.denselayer1) and the modules of the stem, transitions and head
// (features.conv0, features.transition1.conv, classifier); at depth 3 every node.
//
// Totals: weights are float32 learnable parameters plus BN running statistics; activations are
// the sum of every node's float32 output at batch 1 (counts.ts `activationBytes`); MB = 10^6
// bytes; GFLOPs = 2 x MACs / 10^9.
import pc from 'picocolors';
import { activationBytes, addCounts, graphCounts, protobufWeightLimit, weightBytes, zeroCounts, type Counts } from './counts.js';
import type { Dims, Graph } from './graph.js';
import { grouped } from '../diagnostics/grouped.js';

export interface SummaryRow {
  /** 1 for a stage, 2 for a layer inside it. */
  readonly level: number;
  /** The stage's label (`Dense Block (1)`) or the layer's scope. */
  readonly name: string;
  /** The stage name (`dense_block_1`). */
  readonly stage: string;
  /** Per-sample output shape: [C, H, W], or [F] after flatten. */
  readonly shape: Dims;
  readonly counts: Counts;
}

export interface Summary {
  readonly model: string;
  readonly claim: { readonly relation: 'is' | 'like'; readonly paper: string } | undefined;
  readonly input: Dims;
  readonly output: Dims;
  readonly depth: number;
  readonly rows: readonly SummaryRow[];
  readonly total: Counts;
  readonly weightBytes: number;
  readonly activationBytes: number;
}

export interface SummaryOptions {
  readonly depth?: number;
  readonly claim?: Summary['claim'];
}

export function summarize(g: Graph, options: SummaryOptions = {}): Summary {
  const depth = Math.max(1, Math.floor(options.depth ?? 1));
  const counts = graphCounts(g);
  const rows: SummaryRow[] = [];
  for (const stage of g.stages) {
    const nodes = g.nodes.filter((n) => n.stage === stage.name);
    if (nodes.length === 0) continue;
    rows.push({ level: 1, name: stage.label, stage: stage.name, shape: nodes[nodes.length - 1].output.shape, counts: counts.stages.get(stage.name) ?? zeroCounts });
    if (depth < 2) continue;
    for (const n of nodes) {
      const key = n.scope.split('.').slice(0, depth + 1).join('.');
      const last = rows[rows.length - 1];
      const c = counts.nodes.get(n) ?? zeroCounts;
      if (last.level === 2 && last.name === key) rows[rows.length - 1] = { ...last, shape: n.output.shape, counts: addCounts(last.counts, c) };
      else rows.push({ level: 2, name: key, stage: stage.name, shape: n.output.shape, counts: c });
    }
  }
  return {
    model: g.name,
    claim: options.claim,
    input: g.input.shape,
    output: g.output.shape,
    depth,
    rows,
    total: counts.total,
    weightBytes: weightBytes(counts.total),
    activationBytes: activationBytes(g),
  };
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const gflops = (macs: number): number => (2 * macs) / 1e9;
const showShape = (s: Dims): string => `[${s.join(', ')}]`;

/** Table 1 gives the classification layer's output size as 1x1: a vector [F] reads as [F, 1, 1]. */
export function asChw(shape: Dims): Dims {
  return shape.length === 1 ? [shape[0], 1, 1] : shape;
}

export function renderSummary(s: Summary, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const claim = s.claim ? `  (${s.claim.relation} "${s.claim.paper}")` : '';
  const header = ['Layer', 'Output shape', 'Params', 'MACs'];
  const body = s.rows.map((r) => [`${'  '.repeat(r.level - 1)}${r.name}`, showShape(r.shape), grouped(r.counts.learnable), grouped(r.counts.macs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('   ').trimEnd();
  const rule = c.dim('─'.repeat(widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1)));

  const totals: Array<[string, string, string]> = [
    ['Learnable parameters', grouped(s.total.learnable), ''],
    ['BN running statistics', grouped(s.total.bnRunningStats), 'running mean and variance, not learned'],
    ['Multiply-accumulates', grouped(s.total.macs), `${gflops(s.total.macs).toFixed(2)} GFLOPs at 2 FLOPs per MAC`],
    ['Weights (float32)', mb(s.weightBytes), `learnable parameters and running statistics${s.weightBytes > protobufWeightLimit ? '; over 2 GB: compile writes them to external data' : ''}`],
    ['Activations (float32)', mb(s.activationBytes), 'every node output at batch 1, none reused'],
  ];
  const labelWidth = Math.max(...totals.map((t) => t[0].length)) + 1;
  const valueWidth = Math.max(...totals.map((t) => t[1].length));
  const out = [
    `${c.bold(`Model: ${s.model}`)}${claim}`,
    `Input: ${showShape(s.input)} (batch 1)`,
    '',
    c.bold(line(header)),
    rule,
    ...s.rows.map((r, i) => (r.level === 1 && s.depth > 1 ? c.bold(line(body[i])) : line(body[i]))),
    rule,
    ...totals.map(([label, value, note]) => `${`${label}:`.padEnd(labelWidth)} ${value.padStart(valueWidth)}${note ? `   ${c.dim(`(${note})`)}` : ''}`),
  ];
  return out.join('\n') + '\n';
}

export interface SummaryJson {
  model: string;
  claim?: { relation: string; paper: string };
  input: number[];
  output: number[];
  params: { learnable: number; bnRunningStats: number; total: number };
  macs: number;
  gflops: number;
  weights: { bytes: number; mb: number; externalData?: true };
  activations: { bytes: number; mb: number };
  stages: Array<{
    name: string;
    label: string;
    /** [C, H, W]; the classification layer's vector [F] as [F, 1, 1] (Table 1's 1x1). */
    shape: number[];
    /** The per-sample shape as it is. */
    tensorShape: number[];
    params: number;
    bnRunningStats: number;
    macs: number;
    layers?: Array<{ name: string; shape: number[]; params: number; bnRunningStats: number; macs: number }>;
  }>;
}

export function summaryToJson(s: Summary): SummaryJson {
  const stages: SummaryJson['stages'] = [];
  for (const r of s.rows) {
    const counts = { params: r.counts.learnable, bnRunningStats: r.counts.bnRunningStats, macs: r.counts.macs };
    if (r.level === 1) {
      stages.push({ name: r.stage, label: r.name, shape: [...asChw(r.shape)], tensorShape: [...r.shape], ...counts, ...(s.depth > 1 ? { layers: [] } : {}) });
    } else {
      stages[stages.length - 1].layers?.push({ name: r.name, shape: [...r.shape], ...counts });
    }
  }
  return {
    model: s.model,
    ...(s.claim ? { claim: { relation: s.claim.relation, paper: s.claim.paper } } : {}),
    input: [...s.input],
    output: [...s.output],
    params: { learnable: s.total.learnable, bnRunningStats: s.total.bnRunningStats, total: s.total.learnable + s.total.bnRunningStats },
    macs: s.total.macs,
    gflops: gflops(s.total.macs),
    weights: { bytes: s.weightBytes, mb: s.weightBytes / 1e6, ...(s.weightBytes > protobufWeightLimit ? { externalData: true } : {}) },
    activations: { bytes: s.activationBytes, mb: s.activationBytes / 1e6 },
    stages,
  };
}
