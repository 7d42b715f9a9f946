// One file as the features see it: its text, its analysis as an entry, its scope and its names;
// and the statement at an offset.
import type { Stmt } from '../ast/nodes.js';
import type { Loaded } from '../check/load.js';
import { fileScopes, type Scope } from '../check/scope.js';
import type { SourceFile } from '../diagnostics/source.js';
import { linksOf, type Link } from './names.js';
import { Workspace, type EntryAnalysis } from './workspace.js';

export interface FileView {
  readonly name: string;
  readonly source: SourceFile;
  readonly analysis: EntryAnalysis;
  readonly loaded: Loaded;
  readonly scope: Scope;
  readonly links: readonly Link[];
}

const scopeCache = new WeakMap<EntryAnalysis, Map<Loaded, Scope>>();

/** The scope of every file of an analysis (built once per analysis). */
export function scopesOf(a: EntryAnalysis): Map<Loaded, Scope> {
  let scopes = scopeCache.get(a);
  if (!scopes) {
    scopes = fileScopes(a.analysis.program);
    scopeCache.set(a, scopes);
  }
  return scopes;
}

export function view(ws: Workspace, name: string): FileView | undefined {
  const analysis = ws.analysis(name);
  const source = ws.source(name);
  if (!analysis || !source) return undefined;
  const loaded = analysis.analysis.program.entry;
  const scope = scopesOf(analysis).get(loaded)!;
  return { name, source, analysis, loaded, scope, links: linksOf(loaded, scope) };
}

/** The body statements of a file, with the declaration that owns them. */
export function statementsOf(loaded: Loaded): Array<{ stmt: Stmt; owner: string }> {
  return loaded.ast.decls.flatMap((d) => {
    if (d.kind === 'family') return d.body.map((stmt) => ({ stmt, owner: d.name.name }));
    if (d.kind === 'model' && d.body) return d.body.map((stmt) => ({ stmt, owner: d.name.name }));
    return [];
  });
}

export function statementAt(loaded: Loaded, offset: number): Stmt | undefined {
  return statementsOf(loaded).find(({ stmt }) => stmt.span.start <= offset && offset <= stmt.span.end)?.stmt;
}
