// Go to definition (families, constants, parameters, `let`s, `use` paths) and find references,
// over every file the open documents load.
import type { Location, Position } from 'vscode-languageserver';
import { nameToUri, offsetAt, rangeOf } from './convert.js';
import { linkAt, linksOf, targetKey, targetSpan, type Link } from './names.js';
import { scopesOf, view } from './view.js';
import type { Workspace } from './workspace.js';

function location(ws: Workspace, span: { file: string; start: number; end: number }): Location | undefined {
  const source = ws.source(span.file);
  return source ? { uri: nameToUri(span.file), range: rangeOf(source, span) } : undefined;
}

export function definition(ws: Workspace, name: string, position: Position): Location | null {
  const v = view(ws, name);
  if (!v) return null;
  const target = linkAt(v.links, offsetAt(v.source, position))?.target;
  return (target && location(ws, targetSpan(target))) ?? null;
}

export function references(ws: Workspace, name: string, position: Position, includeDeclaration: boolean): Location[] {
  const v = view(ws, name);
  if (!v) return [];
  const target = linkAt(v.links, offsetAt(v.source, position))?.target;
  if (!target || target.kind === 'file') return [];
  const key = targetKey(target);
  // Each file once, with the scope of the first analysis that loads it (this file's own first).
  const links = new Map<string, readonly Link[]>();
  for (const a of [v.analysis, ...ws.openAnalyses()]) {
    const scopes = scopesOf(a);
    for (const file of a.analysis.program.files) {
      if (!links.has(file.source.name)) links.set(file.source.name, linksOf(file, scopes.get(file)!));
    }
  }
  const out: Location[] = [];
  for (const list of links.values()) {
    for (const l of list) {
      if (!l.target || targetKey(l.target) !== key || (l.definition && !includeDeclaration)) continue;
      const loc = location(ws, l.span);
      if (loc) out.push(loc);
    }
  }
  return out;
}
