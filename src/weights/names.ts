// The parameters of a lowered graph under their torchvision state-dict names: the node's scope
// plus `.weight`/`.bias` for conv and linear, and `.weight` (gamma), `.bias` (beta),
// `.running_mean`, `.running_var` for batch norm. Defined on the -O0 graph: after passes a fused
// node holds tensors of two modules under one scope, so there is no single name to give.
import { paramTensors } from '../ir/counts.js';
import { IrError, type Graph, type Node, type Tensor } from '../ir/graph.js';

export interface NamedParam {
  readonly name: string;
  readonly tensor: Tensor;
  /** The node that holds it, for the span of diagnostics. */
  readonly node: Node;
}

export function namedParams(g: Graph): NamedParam[] {
  const out: NamedParam[] = [];
  for (const node of g.nodes) {
    const op = node.op;
    if (op.kind === 'bnReluConv' || op.kind === 'affine') {
      throw new IrError(`weights are named on the unoptimized graph, found a fused \`${op.kind}\` at ${node.scope}`);
    }
    for (const p of paramTensors(op)) out.push({ name: `${node.scope}.${p.role}`, tensor: p.tensor, node });
  }
  return out;
}

// torchvision before 0.4 named dense-layer modules `norm.1`, `conv.2`, ...; its loader rewrites
// them (torchvision/models/densenet.py, `_load_state_dict`). The same pattern, the same rewrite.
const legacyKey = /^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$/;

/** `features.denseblock1.denselayer1.norm.1.weight` -> `...norm1.weight`; other names unchanged. */
export function canonicalName(key: string): string {
  const m = legacyKey.exec(key);
  return m ? m[1] + m[2] : key;
}

/** Buffers of a state dict that are not parameters of inference and are skipped silently. */
export function isIgnoredKey(key: string): boolean {
  return key.endsWith('.num_batches_tracked') || key === 'num_batches_tracked';
}
