// D0303: a name declared twice, in one file or brought in twice by `use`; a `let` that repeats
// a parameter or an earlier `let`. D0304: a family parameter listed twice.
import type { FamilyDecl, Ident } from '../../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Loaded } from '../load.js';
import { bodiesOf, type SourceRule } from './rule.js';

function twice(again: Ident, first: Ident): Diagnostic {
  return diagnostic('D0303', again.span, { name: again.name }, { secondary: [{ span: first.span, message: 'first declared here' }] });
}

function declaredNames(file: Loaded): Ident[] {
  return file.ast.decls.flatMap((d) => (d.kind === 'const' || d.kind === 'family' || d.kind === 'model' ? [d.name] : []));
}

export const duplicates: SourceRule = {
  name: 'duplicates',
  check(file) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, Ident>();
    for (const name of declaredNames(file)) {
      const first = seen.get(name.name);
      if (first) out.push(twice(name, first));
      else seen.set(name.name, name);
    }
    // What the used files bring in (their consts and families) must not clash with anything.
    for (const { decl, file: used } of file.uses) {
      for (const d of used.ast.decls) {
        if (d.kind !== 'const' && d.kind !== 'family') continue;
        const first = seen.get(d.name.name);
        if (!first) {
          seen.set(d.name.name, d.name);
        } else if (first !== d.name) {
          const label = `\`${decl.path}\` declares \`${d.name.name}\` too`;
          const secondary = [{ span: first.span, message: 'first declared here' }, { span: d.name.span, message: 'and here' }];
          out.push(diagnostic('D0303', decl.pathSpan, { name: d.name.name }, { label, secondary }));
        }
      }
    }
    for (const d of file.ast.decls) if (d.kind === 'family') out.push(...params(d));
    for (const { body } of bodiesOf(file)) {
      const owner = file.ast.decls.find((d): d is FamilyDecl => d.kind === 'family' && d.body === body);
      const locals = new Map<string, Ident>((owner?.params ?? []).map((p) => [p.name.name, p.name]));
      for (const s of body) {
        if (s.kind !== 'let') continue;
        const first = locals.get(s.name.name);
        if (first) out.push(twice(s.name, first));
        else locals.set(s.name.name, s.name);
      }
    }
    return out;
  },
};

function params(f: FamilyDecl): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Ident>();
  for (const p of f.params) {
    const first = seen.get(p.name.name);
    if (first) {
      out.push(diagnostic('D0304', p.name.span, { name: p.name.name, family: f.name.name }, { secondary: [{ span: first.span, message: 'first here' }] }));
    } else {
      seen.set(p.name.name, p.name);
    }
  }
  return out;
}
