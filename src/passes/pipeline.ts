// PLACEHOLDER until the optimizing passes land: the ordered pass list and its contract.
import type { Graph } from '../ir/graph.js';

export type OptLevel = 0 | 1 | 2;

export interface OptimizeOptions {
  /** How dense blocks concatenate: one Concat of all earlier features per layer, or a chain of two-input Concats. */
  readonly concat?: 'all' | 'chain';
}

/** Counts of a graph at one point of the pipeline, for `--explain`. */
export interface GraphFigures {
  readonly nodes: number;
  readonly macs: number;
  readonly learnable: number;
}

export interface PassRecord {
  readonly name: string;
  readonly changed: boolean;
  readonly before: GraphFigures;
  readonly after: GraphFigures;
}

export function optimize(graph: Graph, _level: OptLevel, _options: OptimizeOptions = {}): { graph: Graph; log: PassRecord[] } {
  return { graph, log: [] };
}
