// D0310 (warning): a parameter its family never uses; in a file that declares models, a
// constant or family that nothing in the file uses. (A library without models is exempt: its
// declarations are for the files that `use` it.)
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { exprsOf, refs } from '../walk.js';
import type { SourceRule } from './rule.js';

export const unused: SourceRule = {
  name: 'unused',
  check(file) {
    const out: Diagnostic[] = [];
    const decls = file.ast.decls;
    for (const d of decls) {
      if (d.kind !== 'family') continue;
      const used = new Set([...d.params.flatMap((p) => (p.default ? refs(p.default) : [])), ...d.body.flatMap(exprsOf).flatMap(refs)].map((r) => r.name));
      for (const p of d.params) {
        if (!used.has(p.name.name)) out.push(diagnostic('D0310', p.name.span, { name: p.name.name, what: 'parameter' }));
      }
    }
    if (!decls.some((d) => d.kind === 'model')) return out;
    const named = new Set<string>();
    for (const d of decls) {
      if (d.kind === 'const') refs(d.value).forEach((r) => named.add(r.name));
      if (d.kind === 'family') [...d.params.flatMap((p) => (p.default ? refs(p.default) : [])), ...d.body.flatMap(exprsOf).flatMap(refs)].forEach((r) => named.add(r.name));
      if (d.kind === 'model') {
        if (d.call) named.add(d.call.callee.name);
        [...(d.call?.args ?? []).flatMap((a) => refs(a.value)), ...(d.body ?? []).flatMap(exprsOf).flatMap(refs)].forEach((r) => named.add(r.name));
      }
    }
    for (const d of decls) {
      if ((d.kind === 'const' || d.kind === 'family') && !named.has(d.name.name)) {
        out.push(diagnostic('D0310', d.name.span, { name: d.name.name, what: d.kind === 'const' ? 'constant' : 'family' }));
      }
    }
    return out;
  },
};
