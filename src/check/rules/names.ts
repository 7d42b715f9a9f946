// D0301 unknown name, D0312 a family used as a value: every name in a file, checked where it is
// written, so a family that no model instantiates is checked too. A `let` is visible after it;
// a parameter's default sees the parameters before it.
import type { Expr } from '../../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { closest } from '../suggest.js';
import { exprsOf, refs } from '../walk.js';
import type { SourceRule } from './rule.js';

export const names: SourceRule = {
  name: 'names',
  check(file, ctx) {
    const scope = ctx.scopes.get(file)!;
    const out: Diagnostic[] = [];
    const check = (e: Expr, locals: ReadonlySet<string>): void => {
      for (const r of refs(e)) {
        if (locals.has(r.name)) continue;
        const entry = scope.get(r.name);
        if (entry?.kind === 'family') out.push(diagnostic('D0312', r.span, { name: r.name }));
        if (entry) continue;
        const candidates = [...locals, ...scope.names().filter((n) => scope.get(n)?.kind !== 'family')];
        const guess = closest(r.name, candidates);
        out.push(diagnostic('D0301', r.span, { name: r.name }, guess ? { help: `did you mean \`${guess}\`?` } : {}));
      }
    };
    for (const d of file.ast.decls) {
      if (d.kind === 'const') check(d.value, new Set());
      if (d.kind === 'model') for (const a of d.call?.args ?? []) check(a.value, new Set());
      if (d.kind !== 'family' && !(d.kind === 'model' && d.body)) continue;
      const locals = new Set<string>();
      for (const p of d.kind === 'family' ? d.params : []) {
        if (p.default) check(p.default, locals);
        locals.add(p.name.name);
      }
      for (const s of d.body ?? []) {
        for (const e of exprsOf(s)) check(e, locals);
        if (s.kind === 'let') locals.add(s.name.name);
      }
    }
    return out;
  },
};

