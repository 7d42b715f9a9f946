// Walks over the AST's expressions, for the rules that look at names.
import type { Expr, NameRef, Stmt } from '../ast/nodes.js';

/** Every name an expression refers to, in order. */
export function refs(e: Expr): NameRef[] {
  switch (e.kind) {
    case 'number':
      return [];
    case 'name':
      return [e];
    case 'list':
      return e.items.flatMap(refs);
    case 'neg':
      return refs(e.operand);
    case 'binary':
      return [...refs(e.left), ...refs(e.right)];
    case 'index':
      return [...refs(e.target), ...refs(e.index)];
  }
}

/** The expressions a statement holds, in order. */
export function exprsOf(s: Stmt): Expr[] {
  switch (s.kind) {
    case 'input':
      return [...s.dims.items];
    case 'conv':
    case 'maxpool':
    case 'avgpool':
      return [...s.kernel.items, ...s.clauses.flatMap((c) => (c.value ? [c.value] : []))];
    case 'dense':
    case 'transition':
      return s.clauses.flatMap((c) => (c.value ? [c.value] : []));
    case 'block':
      return [s.layers, ...s.clauses.flatMap((c) => (c.value ? [c.value] : []))];
    case 'dropout':
      return [s.rate];
    case 'linear':
      return [s.out];
    case 'let':
      return [s.value];
    default:
      return [];
  }
}
