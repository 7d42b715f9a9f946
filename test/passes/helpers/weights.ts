// Fast test weights: every parameter tensor of a graph filled from one xorshift stream, with
// non-trivial BatchNorm statistics. About 10x faster than ir/weights.ts's seeded Box-Muller
// normals, which matters for the equivalence suite's 30 M-parameter models; the tests need
// weights that are the same for -O0 and -O2, not torchvision's distribution.
import type { Graph } from '../../../src/ir/graph.js';
import { elementCount } from '../../../src/ir/graph.js';
import { paramTensors } from '../../../src/ir/counts.js';

export function fillWeights(g: Graph, seed = 1): void {
  let s = (seed * 2654435761) >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  for (const node of g.nodes) {
    for (const p of paramTensors(node.op)) {
      const t = p.tensor;
      const n = elementCount(t.shape);
      const data = new Float32Array(n);
      // Uniform with the variance of Kaiming-normal weights (2 / fan_in), so deep nets stay in range.
      const fanIn = t.shape.length > 1 ? elementCount(t.shape.slice(1)) : 1;
      const [lo, hi] =
        p.role === 'weight' && p.tensor.shape.length > 1
          ? [-Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn)]
          : p.role === 'weight' || p.role === 'running_var' || p.role === 'scale'
            ? [0.5, 1.5]
            : [-0.5, 0.5];
      for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * next();
      t.data = data;
    }
  }
}
