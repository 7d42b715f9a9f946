// A body (a family's, with its parameters bound, or a model's own) -> the Draft's layers.
// Values are evaluated here; clause names and counts were checked by the source rules, so a
// statement they reject is skipped without another word. Defaults: conv stride 1 and pad
// floor(k / 2); pools stride = kernel and pad 0; `transition` compression 1, dropout 0.
import type { Clause, Dims, Stmt } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { clause } from './clauses.js';
import { div, exactOfInteger, floorExact, toNumber } from './exact.js';
import { expandDense, type Counters } from './dense.js';
import type { DraftLayer, Num, NumPair } from './draft.js';
import type { Scope } from './scope.js';
import { describeValue, type Evaluator, type NumValue } from './values.js';

export interface Body {
  readonly input: { readonly channels: Num; readonly height: Num; readonly width: Num; readonly span: Span } | undefined;
  readonly layers: DraftLayer[];
}

export class Elaborator {
  private readonly counters: Counters = { block: 0, transition: 0 };

  constructor(
    readonly ev: Evaluator,
    readonly out: Diagnostic[],
  ) {}

  body(stmts: readonly Stmt[], outer: Scope): Body {
    const scope = outer.child();
    let input: Body['input'];
    const layers: DraftLayer[] = [];
    for (const s of stmts) {
      if (s.kind === 'let') {
        scope.set(s.name.name, { kind: 'value', value: this.ev.evaluate(s.value, scope), span: s.span });
      } else if (s.kind === 'input') {
        const dims = this.dims(s.dims, scope, 3);
        if (dims && !input) input = { channels: dims[0], height: dims[1], width: dims[2], span: s.span };
      } else {
        layers.push(...this.statement(s, scope));
      }
    }
    return { input, layers };
  }

  private statement(s: Exclude<Stmt, { kind: 'let' | 'input' }>, scope: Scope): DraftLayer[] {
    switch (s.kind) {
      case 'bn':
      case 'relu':
      case 'softmax':
      case 'globalpool':
        return [{ kind: s.kind, span: s.span }];
      case 'dropout': {
        const rate = this.num(s.rate, s.span, scope, 'a dropout rate is one number');
        return rate ? [{ kind: 'dropout', rate, span: s.span }] : [];
      }
      case 'linear': {
        const out = this.num(s.out, s.span, scope, '`linear` takes the number of outputs');
        return out ? [{ kind: 'linear', out, span: s.span }] : [];
      }
      case 'conv': {
        const kernel = this.pairOfDims(s.kernel, scope);
        const outClause = clause(s.clauses, 'out');
        const out = outClause?.value && this.num(outClause.value, outClause.span, scope, '`out` takes the number of output channels');
        const stride = this.pairClause(s.clauses, 'stride', scope);
        const pad = this.pairClause(s.clauses, 'pad', scope);
        if (!kernel || !out || stride === null || pad === null) return [];
        const half = (k: Num): Num => {
          const exact = { num: floorExact(div(k.exact, { num: 2n, den: 1n })), den: 1n };
          return { value: toNumber(exact), exact, span: k.span, use: s.span };
        };
        return [{
          kind: 'conv',
          kernel,
          stride: stride ?? [this.fixed(1, s.span), this.fixed(1, s.span)],
          pad: pad ?? [half(kernel[0]), half(kernel[1])],
          out,
          bias: clause(s.clauses, 'bias') !== undefined,
          span: s.span,
        }];
      }
      case 'maxpool':
      case 'avgpool': {
        const kernel = this.pairOfDims(s.kernel, scope);
        const stride = this.pairClause(s.clauses, 'stride', scope);
        const pad = this.pairClause(s.clauses, 'pad', scope);
        if (!kernel || stride === null || pad === null) return [];
        return [{ kind: s.kind, kernel, stride: stride ?? kernel, pad: pad ?? [this.fixed(0, s.span), this.fixed(0, s.span)], span: s.span }];
      }
      case 'dense':
        return expandDense(s, scope, this, this.counters);
      case 'block': {
        const layers = this.num(s.layers, s.span, scope, '`block` takes its number of layers');
        const growth = this.clauseNum(s.clauses, 'growth', scope);
        const bottleneck = this.clauseNum(s.clauses, 'bottleneck', scope);
        const dropout = this.clauseNum(s.clauses, 'dropout', scope) ?? this.fixed(0, s.span);
        if (!layers || !growth || bottleneck === null || dropout === null) return [];
        return [{ kind: 'block', index: ++this.counters.block, layers, growth, bottleneck, dropout, span: s.span }];
      }
      case 'transition': {
        const compression = this.clauseNum(s.clauses, 'compression', scope) ?? this.fixed(1, s.span);
        const dropout = this.clauseNum(s.clauses, 'dropout', scope) ?? this.fixed(0, s.span);
        if (compression === null || dropout === null) return [];
        return [{ kind: 'transition', index: ++this.counters.transition, compression, dropout, span: s.span }];
      }
    }
  }

  /** A constant the user did not write: it points at the statement that implied it. */
  fixed(value: number, at: Span): Num {
    return { value, exact: exactOfInteger(value), span: at, use: at };
  }

  num(expr: Parameters<Evaluator['number']>[0], use: Span, scope: Scope, hint: string): Num | undefined {
    const v = this.ev.number(expr, scope, hint);
    return v && { value: v.value, exact: v.exact, span: v.span, use };
  }

  /** A clause's number: undefined when absent, null when in error (already reported). */
  clauseNum(clauses: readonly Clause[], name: string, scope: Scope): Num | undefined | null {
    const c = clause(clauses, name);
    if (!c) return undefined;
    if (!c.value) return null;
    return this.num(c.value, c.span, scope, `\`${name}\` takes one number here`) ?? null;
  }

  /** `stride 2` or `stride [2, 1]`: undefined when absent, null when in error. */
  private pairClause(clauses: readonly Clause[], name: string, scope: Scope): NumPair | undefined | null {
    const c = clause(clauses, name);
    if (!c) return undefined;
    if (!c.value) return null;
    const v = this.ev.evaluate(c.value, scope);
    if (!v) return null;
    if (v.kind === 'num') return [{ value: v.value, exact: v.exact, span: v.span, use: c.span }, { value: v.value, exact: v.exact, span: v.span, use: c.span }];
    const [h, w] = v.items;
    if (v.items.length === 2 && h.kind === 'num' && w.kind === 'num') {
      return [{ value: h.value, exact: h.exact, span: h.span, use: c.span }, { value: w.value, exact: w.exact, span: w.span, use: c.span }];
    }
    const hint = `write \`${name} 2\` for both axes, or \`${name} [2, 1]\` for height and width`;
    this.out.push(diagnostic('D0401', c.value.span, { expected: 'a number or a pair [h, w]', found: describeValue(v), hint }));
    return null;
  }

  private pairOfDims(d: Dims, scope: Scope): NumPair | undefined {
    const dims = this.dims(d, scope, 2);
    return dims && [dims[0], dims[1]];
  }

  /** The sizes of a Dims, if there are `count` of them (rules/dims.ts reports other counts). */
  private dims(d: Dims, scope: Scope, count: number): Num[] | undefined {
    if (d.items.length !== count) return undefined;
    const values = d.items.map((e) => this.ev.number(e, scope, 'each size is one number'));
    if (values.some((v) => !v)) return undefined;
    return (values as NumValue[]).map((v) => ({ value: v.value, exact: v.exact, span: v.span, use: d.span }));
  }
}
