// Remove identities at inference: x -> Dropout -> y, a one-input Concat, and a 1x1 pool with
// stride 1 and no padding all become x (their users read x directly).
// Exact: at inference dropout passes its input through unchanged (ONNX Dropout with
// training_mode false), a concatenation of one tensor is that tensor, and a 1x1 window with
// stride 1 and no padding averages or maximises a single element.
// Preconditions: none beyond the op being one of these; the graph output moves to x when y was it.
import type { Graph, Node } from '../ir/graph.js';
import { removeNode, replaceAllUses } from '../ir/graph.js';
import { isPair, rulePass } from './pass.js';

interface Match {
  readonly node: Node;
}

function isIdentity(node: Node): boolean {
  const op = node.op;
  switch (op.kind) {
    case 'dropout':
      return true;
    case 'concat':
      return node.inputs.length === 1;
    case 'maxpool':
    case 'avgpool':
      return isPair(op.kernel, 1) && isPair(op.stride, 1) && isPair(op.pad, 0);
    default:
      return false;
  }
}

function match(node: Node): Match | undefined {
  return isIdentity(node) ? { node } : undefined;
}

function check(): string | undefined {
  return undefined;
}

function rewrite({ node }: Match, g: Graph): void {
  replaceAllUses(g, node.output, node.inputs[0]);
  removeNode(g, node);
}

export const removeIdentities = rulePass<Match>({ name: 'remove-identities', match, check, rewrite });
