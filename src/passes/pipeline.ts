// PLACEHOLDER until the optimizing passes land: the ordered pass list.
import type { Graph } from '../ir/graph.js';

export type OptLevel = 0 | 1 | 2;

export interface PassRecord {
  readonly name: string;
  readonly changed: boolean;
}

export function optimize(graph: Graph, _level: OptLevel): { graph: Graph; log: PassRecord[] } {
  return { graph, log: [] };
}
