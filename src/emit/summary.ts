// The model summary written as the ONNX doc_string: what the spec describes, in one paragraph.
import type { Graph } from '../ir/graph.js';
import { graphCounts } from '../ir/counts.js';
import { stageOutput } from '../ir/graph.js';
import { grouped } from '../diagnostics/grouped.js';


/** `specified` is the graph as lowered (its counts are the model's); `emitted` the optimized one. */
export function summary(specified: Graph, emitted: Graph, how: string): string {
  const { total } = graphCounts(specified);
  const stages = specified.stages.map((s) => {
    const v = stageOutput(specified, s.name);
    return v ? `${s.name} ${v.shape.join('x')}` : s.name;
  });
  return [
    `${specified.name}: input [N, ${specified.input.shape.join(', ')}] -> [N, ${specified.output.shape.join(', ')}] (${how})`,
    `stages: ${stages.join(', ')}`,
    `${grouped(total.learnable)} learnable parameters, ${grouped(total.bnRunningStats)} BatchNorm running statistics, ` +
      `${grouped(total.macs)} multiply-accumulates per image; ${specified.nodes.length} IR nodes as specified, ${emitted.nodes.length} after optimization`,
  ].join('\n');
}
