// D0404 unknown clause, D0405 clause given twice, D0406 clause without its value, D0407 a value
// on a flag (`bias 3`), D0408 a required clause missing, D0415 `dense` with both `layers` and
// `depth`. Checked on the text, once per statement, against the table in clauses.ts.
import type { Clause, Stmt } from '../../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { clause, clauseTable, type ClausedKind } from '../clauses.js';
import { closest } from '../suggest.js';
import { bodiesOf, type SourceRule } from './rule.js';

type Claused = Extract<Stmt, { clauses: readonly Clause[] }>;

export const clauses: SourceRule = {
  name: 'clauses',
  check(file) {
    return bodiesOf(file).flatMap(({ body }) => body.flatMap((s) => ('clauses' in s ? checkStatement(s) : [])));
  },
};

function checkStatement(s: Claused): Diagnostic[] {
  const kind: ClausedKind = s.kind;
  const table = clauseTable[kind];
  const known = Object.keys(table.clauses);
  const out: Diagnostic[] = [];
  const seen = new Map<string, Clause>();
  for (const c of s.clauses) {
    const name = c.name.name;
    const info = table.clauses[name];
    if (!info) {
      const guess = closest(name, known);
      const list = known.map((k) => `\`${k}\``).join(', ');
      const help = guess ? { help: `did you mean \`${guess}\`? \`${kind}\` takes: ${list}` } : {};
      const dropoutHelp = name === 'dropout' ? { help: `\`${kind}\` has no dropout of its own: put \`dropout\` on its own line to add a dropout layer after it` } : {};
      out.push(diagnostic('D0404', c.name.span, { name, stmt: kind, clauses: list }, { ...help, ...dropoutHelp }));
      continue;
    }
    const first = seen.get(name);
    if (first) {
      out.push(diagnostic('D0405', c.name.span, { name }, { secondary: [{ span: first.name.span, message: 'first given here' }] }));
      continue;
    }
    seen.set(name, c);
    if (info.flag && c.value) out.push(diagnostic('D0407', c.value.span, { name }));
    if (!info.flag && !c.value) out.push(diagnostic('D0406', c.name.span, { name, example: info.example }));
  }
  const head = { ...s.span, end: s.span.start + kind.length };
  for (const name of table.required) {
    if (!seen.has(name)) out.push(diagnostic('D0408', head, { stmt: kind, name, example: table.example }));
  }
  if (s.kind === 'dense') {
    const layers = clause(s.clauses, 'layers');
    const depth = clause(s.clauses, 'depth');
    if (layers && depth) {
      out.push(diagnostic('D0415', layers.span, {}, { secondary: [{ span: depth.span, message: 'and this' }] }));
    } else if (!layers && !depth) {
      out.push(diagnostic('D0408', head, { stmt: 'dense', name: 'layers', example: table.example }, { help: 'add `layers [6, 12, 24, 16]` (layers per block), or `depth 100 blocks 3`' }));
    } else if (depth && !seen.has('blocks')) {
      out.push(diagnostic('D0408', depth.span, { stmt: 'dense', name: 'blocks', example: 'dense depth 100 blocks 3 growth 12' }, { label: '`depth` needs `blocks`' }));
    }
  }
  return out;
}
