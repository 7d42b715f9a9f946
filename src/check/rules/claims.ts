// D0430: an `is` or `like` claim names a model of the paper that does not exist. Checked here, by
// every command, not only when verify looks the name up; the help lists the names it knows.
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { paperModel, paperModels } from '../../verify/paper.js';
import { closest } from '../suggest.js';
import type { SourceRule } from './rule.js';

export const claims: SourceRule = {
  name: 'claims',
  check(file) {
    const out: Diagnostic[] = [];
    for (const d of file.ast.decls) {
      if (d.kind !== 'model' || !d.claim || paperModel(d.claim.paper)) continue;
      const names = paperModels.map((m) => m.name);
      const near = closest(d.claim.paper, names);
      out.push(diagnostic('D0430', d.claim.span, { paper: d.claim.paper, hint: near ? `did you mean "${near}"?` : 'not a model of the paper', names: names.map((n) => `"${n}"`).join(', ') }));
    }
    return out;
  },
};
