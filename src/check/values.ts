// Evaluates expressions: numbers, names, lists, indexing and + - * /. A value remembers the span
// it came from (the literal, or the expression that computed it), so a bad value is reported
// where the user wrote it, even when a family in another file uses it. Errors are reported once,
// at their cause; callers get `undefined` and say nothing more, so one mistake makes one error.
// Numbers are exact rationals (exact.ts): `value` is the nearest double, for messages and checks.
import type { ConstDecl, Expr } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { add, div, exactOfInteger, exactOfLiteral, isZero, mul, neg, sub, toNumber, type Exact } from './exact.js';
import type { Scope } from './scope.js';
import { closest, show } from './suggest.js';

export interface NumValue {
  readonly kind: 'num';
  readonly value: number;
  readonly exact: Exact;
  readonly span: Span;
}
export interface ListValue {
  readonly kind: 'list';
  readonly items: readonly Value[];
  readonly span: Span;
}
export type Value = NumValue | ListValue;

export function numValue(exact: Exact, span: Span): NumValue {
  return { kind: 'num', value: toNumber(exact), exact, span };
}

export function describeValue(v: Value): string {
  return v.kind === 'num' ? `the number ${show(v.value)}` : `a list of ${v.items.length}`;
}

export class Evaluator {
  private readonly consts = new Map<ConstDecl, Value | undefined | 'evaluating'>();

  constructor(private readonly out: Diagnostic[]) {}

  evaluate(expr: Expr, scope: Scope): Value | undefined {
    switch (expr.kind) {
      case 'number':
        return numValue(expr.text === '' ? exactOfInteger(0) : exactOfLiteral(expr.text), expr.span);
      case 'name':
        return this.lookup(expr.name, expr.span, scope);
      case 'list': {
        const items = expr.items.map((i) => this.evaluate(i, scope));
        if (items.some((i) => i === undefined)) return undefined;
        return { kind: 'list', items: items as Value[], span: expr.span };
      }
      case 'neg': {
        const v = this.number(expr.operand, scope, 'negation works on numbers only');
        return v && numValue(neg(v.exact), expr.span);
      }
      case 'binary': {
        const hint = 'arithmetic works on numbers; pick one item of a list with `xs[i]`';
        const a = this.number(expr.left, scope, hint);
        const b = this.number(expr.right, scope, hint);
        if (!a || !b) return undefined;
        if (expr.op === '/' && isZero(b.exact)) {
          this.out.push(diagnostic('D0402', expr.right.span));
          return undefined;
        }
        const op = { '+': add, '-': sub, '*': mul, '/': div }[expr.op];
        return numValue(op(a.exact, b.exact), expr.span);
      }
      case 'index':
        return this.index(expr.target, expr.index, scope);
    }
  }

  /** Evaluates and insists on a number. */
  number(expr: Expr, scope: Scope, hint: string): NumValue | undefined {
    const v = this.evaluate(expr, scope);
    if (v?.kind === 'list') {
      // Point where the list was written; if that is elsewhere (an argument), show this use too.
      const inside = v.span.file === expr.span.file && v.span.start >= expr.span.start && v.span.end <= expr.span.end;
      const secondary = inside ? [] : [{ span: expr.span, message: 'used as a number here' }];
      this.out.push(diagnostic('D0401', v.span, { expected: 'a number', found: 'a list', hint }, { secondary }));
      return undefined;
    }
    return v;
  }

  private index(targetExpr: Expr, indexExpr: Expr, scope: Scope): Value | undefined {
    const target = this.evaluate(targetExpr, scope);
    const index = this.number(indexExpr, scope, 'an index is one number');
    if (!target || !index) return undefined;
    if (target.kind !== 'list') {
      const hint = 'only lists can be indexed, e.g. `blocks[0]`';
      this.out.push(diagnostic('D0401', targetExpr.span, { expected: 'a list', found: describeValue(target), hint }));
      return undefined;
    }
    const i = index.value;
    if (!Number.isInteger(i)) {
      const hint = 'indexes are whole numbers, starting at 0';
      this.out.push(diagnostic('D0401', indexExpr.span, { expected: 'a whole number', found: show(i), hint }));
      return undefined;
    }
    if (i < 0 || i >= target.items.length) {
      const length = target.items.length;
      const extra = length === 0 ? { help: 'this list is empty' } : {};
      this.out.push(diagnostic('D0403', indexExpr.span, { index: i, length, last: length - 1 }, extra));
      return undefined;
    }
    return target.items[i];
  }

  private lookup(name: string, at: Span, scope: Scope): Value | undefined {
    const entry = scope.get(name);
    if (!entry) {
      const guess = closest(name, scope.names().filter((n) => scope.get(n)?.kind !== 'family'));
      this.out.push(diagnostic('D0301', at, { name }, guess ? { help: `did you mean \`${guess}\`?` } : {}));
      return undefined;
    }
    if (entry.kind === 'value') return entry.value;
    if (entry.kind === 'family') {
      this.out.push(diagnostic('D0312', at, { name }));
      return undefined;
    }
    const cached = this.consts.get(entry.decl);
    if (cached === 'evaluating') {
      this.out.push(diagnostic('D0311', at, { name }));
      return undefined;
    }
    if (this.consts.has(entry.decl)) return cached;
    this.consts.set(entry.decl, 'evaluating');
    const value = this.evaluate(entry.decl.value, entry.scope);
    this.consts.set(entry.decl, value);
    return value;
  }
}
