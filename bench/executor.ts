// The reference executor (src/runtime/ref) on the bench input: the -O2 graph run inside its
// memory plan, one thread of plain TypeScript, batch 1. Reported beside onnxruntime's 1-thread
// figures as milliseconds and GMAC/s (the graph's MACs / the median time), with the largest
// difference from onnxruntime's output on the same input.
import type { Graph } from '../src/ir/graph.js';
import { graphCounts } from '../src/ir/counts.js';
import { planMemory } from '../src/plan/plan.js';
import { checkPlan } from '../src/plan/check.js';
import { execute } from '../src/runtime/ref/execute.js';
import { benchInput } from './latency.js';
import { median } from '../src/runtime/stats.js';

export interface ExecutorTiming {
  /** Milliseconds of each run (the first includes V8's warm-up of the kernels). */
  readonly times: readonly number[];
  readonly median: number;
  readonly macs: number;
  readonly output: Float32Array;
}

export function measureExecutor(g: Graph, runs: number): ExecutorTiming {
  const plan = planMemory(g);
  const violations = checkPlan(g, plan);
  if (violations.length > 0) throw new Error(`the memory plan is wrong: ${violations[0].message}`);
  const input = benchInput(g.input.shape);
  const times: number[] = [];
  let output: Float32Array = new Float32Array(0);
  for (let r = 0; r < runs; r++) {
    const result = execute(g, plan, input);
    times.push(result.ms);
    output = result.output;
  }
  return { times, median: median(times), macs: graphCounts(g).total.macs, output };
}

