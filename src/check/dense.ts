// `dense` -> blocks with a transition between each pair. Layers per block come from `layers`
// (a list) or from `depth L blocks N`: L = N * c * layers + N + 1, where c = 2 convs per layer
// with a bottleneck, else 1 (the stem conv, the N - 1 transitions and the classifier make the
// N + 1). `growth`, `bottleneck` and `dropout` take a number or a list per block;
// `compression` a number or a list per transition. A transition's dropout is its block's.
import type { Clause, DenseStmt } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { layersPerBlock } from '../ir/rules.js';
import { clause } from './clauses.js';
import { isWhole, toNumber } from './exact.js';
import type { DraftLayer, Num } from './draft.js';
import type { Elaborator } from './elaborate.js';
import type { Scope } from './scope.js';
import { show } from './suggest.js';
import { describeValue } from './values.js';

export interface Counters {
  block: number;
  transition: number;
}

export function expandDense(s: DenseStmt, scope: Scope, el: Elaborator, counters: Counters): DraftLayer[] {
  const layers = clause(s.clauses, 'depth') ? fromDepth(s, scope, el) : fromList(clause(s.clauses, 'layers'), scope, el);
  if (!layers) return [];
  const n = layers.length;
  const growth = perItem(s, 'growth', n, 'block', scope, el);
  const bottleneck = perItem(s, 'bottleneck', n, 'block', scope, el);
  const dropout = perItem(s, 'dropout', n, 'block', scope, el);
  const compression = perItem(s, 'compression', n - 1, 'transition', scope, el);
  if (!growth || bottleneck === null || dropout === null || compression === null) return [];
  const out: DraftLayer[] = [];
  for (let b = 0; b < n; b++) {
    const drop = dropout?.[b] ?? el.fixed(0, s.span);
    out.push({ kind: 'block', index: ++counters.block, layers: layers[b], growth: growth[b], bottleneck: bottleneck?.[b], dropout: drop, span: s.span });
    if (b < n - 1) {
      const theta = compression?.[b] ?? el.fixed(1, s.span);
      out.push({ kind: 'transition', index: ++counters.transition, compression: theta, dropout: drop, span: s.span });
    }
  }
  return out;
}

/** `layers [6, 12, 24, 16]`: one count per block. */
function fromList(c: Clause | undefined, scope: Scope, el: Elaborator): Num[] | undefined {
  if (!c?.value) return undefined; // missing: rules/clauses.ts says so
  const v = el.ev.evaluate(c.value, scope);
  if (!v) return undefined;
  if (v.kind === 'num') {
    const hint = `\`layers\` lists the layers of each block; write \`layers [${show(v.value)}]\` for one block`;
    el.out.push(diagnostic('D0401', c.value.span, { expected: 'a list', found: describeValue(v), hint }));
    return undefined;
  }
  if (v.items.length === 0) {
    el.out.push(diagnostic('D0401', c.value.span, { expected: 'a list of layer counts', found: 'an empty list', hint: 'give one count per block, e.g. `layers [6, 12, 24, 16]`' }));
    return undefined;
  }
  const nums: Num[] = [];
  for (const item of v.items) {
    if (item.kind !== 'num') {
      el.out.push(diagnostic('D0401', item.span, { expected: 'a number', found: describeValue(item), hint: 'each item is the layer count of one block' }));
      return undefined;
    }
    nums.push({ value: item.value, exact: item.exact, span: item.span, use: c.span });
  }
  return nums;
}

/** `depth L blocks N`: N blocks of (L - N - 1) / (N * c) layers each. */
function fromDepth(s: DenseStmt, scope: Scope, el: Elaborator): Num[] | undefined {
  const depth = el.clauseNum(s.clauses, 'depth', scope);
  const blocks = el.clauseNum(s.clauses, 'blocks', scope);
  if (!depth || !blocks) return undefined;
  let ok = true;
  for (const [what, x] of [['`depth`', depth], ['`blocks`', blocks]] as const) {
    if (!Number.isInteger(x.value) || x.value < 1) {
      el.out.push(diagnostic('D0409', x.span, { what, value: show(x.value) }, secondary(x)));
      ok = false;
    }
  }
  if (!ok) return undefined;
  const convs = clause(s.clauses, 'bottleneck') ? 2 : 1;
  const L = depth.value;
  const N = blocks.value;
  const exact = layersPerBlock(L, N, convs);
  const per = toNumber(exact);
  if (!isWhole(exact) || per < 1) {
    const step = N * convs;
    const lo = Math.max(1, Math.floor(per));
    const near = [...new Set([lo, lo + 1])].map((k) => `${step * k + N + 1}`);
    el.out.push(
      diagnostic('D0414', depth.span, { depth: show(L), blocks: show(N), convs, result: show(per), near: near.join(' or ') }, secondary(depth)),
    );
    return undefined;
  }
  return Array.from({ length: N }, () => ({ value: per, exact, span: depth.span, use: depth.use }));
}

/** A clause given as one number for all, or a list with one number each: undefined if absent, null if in error. */
function perItem(s: DenseStmt, name: string, count: number, one: 'block' | 'transition', scope: Scope, el: Elaborator): Num[] | undefined | null {
  const c = clause(s.clauses, name);
  if (!c) return undefined;
  if (!c.value) return null;
  const v = el.ev.evaluate(c.value, scope);
  if (!v) return null;
  if (v.kind === 'num') return Array.from({ length: count }, () => ({ value: v.value, exact: v.exact, span: v.span, use: c.span }));
  if (v.items.length !== count) {
    const found = `${v.items.length} value${v.items.length === 1 ? '' : 's'}`;
    const what = `${one}${count === 1 ? '' : 's'}`;
    el.out.push(diagnostic('D0413', v.span, { name, found, count, what, one }, secondary({ span: v.span, use: c.span })));
    return null;
  }
  const nums: Num[] = [];
  for (const item of v.items) {
    if (item.kind !== 'num') {
      el.out.push(diagnostic('D0401', item.span, { expected: 'a number', found: describeValue(item), hint: `each item is the \`${name}\` of one ${one}` }));
      return null;
    }
    nums.push({ value: item.value, exact: item.exact, span: item.span, use: c.span });
  }
  return nums;
}

/** When a value was written far from where it is used, show the use too. */
export function secondary(n: Pick<Num, 'span' | 'use'>): { secondary: Array<{ span: Num['use']; message: string }> } {
  const inside = n.span.file === n.use.file && n.span.start >= n.use.start && n.span.end <= n.use.end;
  return { secondary: inside ? [] : [{ span: n.use, message: 'used here' }] };
}
