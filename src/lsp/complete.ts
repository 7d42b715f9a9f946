// Completion from the text before the cursor (the line being typed rarely parses): inside a
// family call its parameters with their defaults; after `is "` the paper's models; at the start
// of a line the declaration or statement keywords (by brace depth); after a statement's keyword
// its clauses (check/clauses.ts) and the names in scope.
import type { CompletionItem, Position } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver';
import type { FamilyDecl } from '../ast/nodes.js';
import { dirname, join } from '../check/paths.js';
import { clauseTable, type ClausedKind } from '../check/clauses.js';
import { printExpr } from '../format/expr.js';
import { statementKeywords } from '../syntax/tokens.js';
import { paperModels } from '../verify/paper.js';
import { offsetAt } from './convert.js';
import { view, type FileView } from './view.js';
import type { Workspace } from './workspace.js';

const declarationKeywords = ['use', 'const', 'family', 'model'];
const statementWords = statementKeywords.map((k) => String(k.PATTERN).slice(1, -1));

const keyword = (label: string): CompletionItem => ({ label, kind: CompletionItemKind.Keyword });

export function completion(ws: Workspace, name: string, position: Position): CompletionItem[] {
  const v = view(ws, name);
  if (!v) return [];
  const text = v.source.text;
  const offset = offsetAt(v.source, position);
  const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  if (before.includes('#')) return [];

  const claim = /\b(is|like)\s+"[^"]*$/.exec(before);
  if (claim) return paperModels.map((m) => ({ label: m.name, kind: CompletionItemKind.Value, detail: m.source }));
  const call = /=\s*([A-Za-z_]\w*)\s*\(([^)]*)$/.exec(before);
  if (call) {
    const afterEquals = /(^|,)\s*[A-Za-z_]\w*\s*=\s*[^,]*$/.test(call[2]);
    return afterEquals ? valueNames(v, offset) : familyParams(ws, v, call[1], call[2]);
  }
  if (/^\s*model\b.*\)\s*\w*$/.test(before)) return ['is', 'like'].map(keyword);

  const words = before.trim().split(/\s+/).filter(Boolean);
  const typingFirst = words.length === 0 || (words.length === 1 && !/\s$/.test(before));
  if (typingFirst) return braceDepth(text.slice(0, offset)) > 0 ? statementWords.map(keyword) : declarationKeywords.map(keyword);
  const head = words[0];
  if (head === 'avgpool' && words.length === 1) return [keyword('global'), ...clauses('avgpool', before)];
  if (head in clauseTable) return [...clauses(head as ClausedKind, before), ...valueNames(v, offset)];
  return valueNames(v, offset);
}

/** The clauses a statement takes that the line does not have yet, with an example. */
function clauses(kind: ClausedKind, line: string): CompletionItem[] {
  const used = new Set(line.split(/[^A-Za-z_]+/));
  return Object.entries(clauseTable[kind].clauses)
    .filter(([c]) => !used.has(c))
    .map(([c, info]) => ({ label: c, kind: CompletionItemKind.Property, detail: info.example, ...(info.flag ? {} : { insertText: `${c} ` }) }));
}

function familyParams(ws: Workspace, v: FileView, callee: string, args: string): CompletionItem[] {
  const family = familyNamed(ws, v, callee);
  if (!family) return [];
  const given = new Set([...args.matchAll(/([A-Za-z_]\w*)\s*=/g)].map((m) => m[1]));
  return family.params
    .filter((p) => !given.has(p.name.name))
    .map((p, i) => ({
      label: p.name.name,
      kind: CompletionItemKind.Field,
      detail: p.default ? `= ${printExpr(p.default)}` : 'required',
      insertText: `${p.name.name} = `,
      sortText: String(i).padStart(3, '0'),
    }));
}

/**
 * A family in scope. While the line being typed does not parse, the front end does not follow
 * `use` (check/load.ts), so the used files are looked up here, each parsed on its own.
 */
function familyNamed(ws: Workspace, v: FileView, name: string): FamilyDecl | undefined {
  const entry = v.scope.get(name);
  if (entry?.kind === 'family') return entry.decl;
  for (const d of v.loaded.ast.decls) {
    if (d.kind !== 'use') continue;
    const source = ws.source(join(dirname(v.name), d.path));
    const found = source && ws.parsed(source).file.decls.find((f): f is FamilyDecl => f.kind === 'family' && f.name.name === name);
    if (found) return found;
  }
  return undefined;
}

/** Constants, and inside a body its family's parameters and the `let`s before the cursor. */
function valueNames(v: FileView, offset: number): CompletionItem[] {
  const items = new Map<string, CompletionItem>();
  for (const n of v.scope.names()) {
    const e = v.scope.get(n);
    if (e?.kind === 'const') items.set(n, { label: n, kind: CompletionItemKind.Constant });
  }
  for (const l of v.links) {
    if (!l.definition || !l.target || l.span.start > offset) continue;
    const t = l.target;
    const owner = t.kind === 'param' ? t.family : t.kind === 'let' ? t.owner : undefined;
    if (owner && owner.span.start <= offset && offset <= owner.span.end) items.set(l.name, { label: l.name, kind: CompletionItemKind.Variable });
  }
  return [...items.values()];
}

/** Open braces before `offset`, outside comments and strings. */
function braceDepth(text: string): number {
  let depth = 0;
  for (const line of text.split('\n')) {
    const code = line.replace(/"[^"]*"?/g, '').replace(/#.*/, '');
    for (const ch of code) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
  }
  return Math.max(0, depth);
}
