// Expressions and statements as canonical text: single spaces around binary operators, `, `
// between list items, and parentheses only where precedence needs them (the AST keeps none).
import type { Clause, Dims, Expr, Stmt } from '../ast/nodes.js';
import { exhaustive } from '../ir/graph.js';

/** Binding strength: higher binds tighter. */
function precedence(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return e.op === '+' || e.op === '-' ? 1 : 2;
    case 'neg':
      return 3;
    case 'index':
      return 4;
    case 'number':
    case 'name':
    case 'list':
      return 5;
    default:
      return exhaustive(e);
  }
}

function wrap(e: Expr, needs: boolean): string {
  return needs ? `(${printExpr(e)})` : printExpr(e);
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'name':
      return e.name;
    case 'list':
      return `[${e.items.map(printExpr).join(', ')}]`;
    case 'binary': {
      const p = precedence(e);
      // Left-associative: the right operand needs parentheses at the same level (a - (b - c)).
      return `${wrap(e.left, precedence(e.left) < p)} ${e.op} ${wrap(e.right, precedence(e.right) <= p)}`;
    }
    case 'neg':
      // `-(-x)` rather than `--x`, and `-(a + b)`.
      return `-${wrap(e.operand, precedence(e.operand) <= 3)}`;
    case 'index':
      return `${wrap(e.target, precedence(e.target) < 4)}[${printExpr(e.index)}]`;
    default:
      return exhaustive(e);
  }
}

/**
 * Kernels whose sizes are all integer literals print as one token (`7x7`); other dims, and the
 * input's, as expressions joined by ` x ` (`3 x 224 x 224`, `k x k`).
 */
export function printDims(d: Dims, compact: boolean): string {
  const literal = d.items.every((e) => e.kind === 'number' && /^[0-9]+$/.test(e.text));
  if (compact && literal) return d.items.map(printExpr).join('x');
  return d.items.map((e) => wrap(e, e.kind === 'binary')).join(' x ');
}

function printClauses(clauses: readonly Clause[]): string {
  return clauses.map((c) => (c.value ? ` ${c.name.name} ${printExpr(c.value)}` : ` ${c.name.name}`)).join('');
}

/** One statement on one line, without indentation. */
export function printStmt(s: Stmt): string {
  switch (s.kind) {
    case 'input':
      return `input ${printDims(s.dims, false)}`;
    case 'conv':
    case 'maxpool':
    case 'avgpool':
      return `${s.kind} ${printDims(s.kernel, true)}${printClauses(s.clauses)}`;
    case 'globalpool':
      return 'avgpool global';
    case 'bn':
    case 'relu':
    case 'softmax':
      return s.kind;
    case 'dropout':
      return `dropout ${printExpr(s.rate)}`;
    case 'linear':
      return `linear ${printExpr(s.out)}`;
    case 'dense':
      return `dense${printClauses(s.clauses)}`;
    case 'block':
      return `block ${printExpr(s.layers)}${printClauses(s.clauses)}`;
    case 'transition':
      return `transition${printClauses(s.clauses)}`;
    case 'let':
      return `let ${s.name.name} = ${printExpr(s.value)}`;
    default:
      return exhaustive(s);
  }
}
