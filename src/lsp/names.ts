// What every name in a file refers to, for go to definition, references and hover.
// File-level names come from the front end's scopes (check/scope.ts: own declarations, then
// those of used files); inside a body, a family's parameters and the `let`s written so far come
// first, as elaborate.ts binds them. A call's argument names refer to the family's parameters.
import type { ConstDecl, FamilyDecl, Ident, LetStmt, ModelDecl, NameRef, Param, Stmt } from '../ast/nodes.js';
import type { Loaded } from '../check/load.js';
import { dirname, join } from '../check/paths.js';
import type { Scope } from '../check/scope.js';
import { exprsOf, refs } from '../check/walk.js';
import type { Span } from '../diagnostics/span.js';

export type Target =
  | { readonly kind: 'const'; readonly decl: ConstDecl }
  | { readonly kind: 'family'; readonly decl: FamilyDecl }
  | { readonly kind: 'param'; readonly param: Param; readonly family: FamilyDecl }
  | { readonly kind: 'let'; readonly stmt: LetStmt; readonly owner: FamilyDecl | ModelDecl }
  | { readonly kind: 'model'; readonly decl: ModelDecl }
  | { readonly kind: 'file'; readonly path: string };

export interface Link {
  /** The name as written (for a `use`, its path). */
  readonly span: Span;
  readonly name: string;
  /** Undefined for a name that refers to nothing (the checker reports it). */
  readonly target: Target | undefined;
  /** The declaring occurrence itself. */
  readonly definition: boolean;
}

/** Where a target is declared: its name (a whole file for `use`). */
export function targetSpan(t: Target): Span {
  switch (t.kind) {
    case 'const':
    case 'family':
    case 'model':
      return t.decl.name.span;
    case 'param':
      return t.param.name.span;
    case 'let':
      return t.stmt.name.span;
    case 'file':
      return { file: t.path, start: 0, end: 0 };
  }
}

export function targetKey(t: Target): string {
  const s = targetSpan(t);
  return `${s.file}:${s.start}`;
}

type Locals = Map<string, Target>;

const cache = new WeakMap<Loaded, WeakMap<Scope, Link[]>>();

/** Every name occurrence in `file`, in source order; `scope` is the file's scope. */
export function linksOf(file: Loaded, scope: Scope): Link[] {
  const perScope = cache.get(file) ?? new WeakMap<Scope, Link[]>();
  cache.set(file, perScope);
  const hit = perScope.get(scope);
  if (hit) return hit;
  const out: Link[] = [];
  const global = (name: string): Target | undefined => {
    const e = scope.get(name);
    return e?.kind === 'const' ? { kind: 'const', decl: e.decl } : e?.kind === 'family' ? { kind: 'family', decl: e.decl } : undefined;
  };
  const ref = (r: NameRef, locals: Locals): void => void out.push({ span: r.span, name: r.name, target: locals.get(r.name) ?? global(r.name), definition: false });
  const def = (id: Ident, target: Target): void => void out.push({ span: id.span, name: id.name, target, definition: true });
  const body = (stmts: readonly Stmt[], owner: FamilyDecl | ModelDecl, outer: Locals): void => {
    const locals = new Map(outer);
    for (const s of stmts) {
      for (const e of exprsOf(s)) for (const r of refs(e)) ref(r, locals);
      if (s.kind === 'let') {
        const t: Target = { kind: 'let', stmt: s, owner };
        def(s.name, t);
        locals.set(s.name.name, t);
      }
    }
  };

  for (const d of file.ast.decls) {
    switch (d.kind) {
      case 'use':
        out.push({ span: d.pathSpan, name: d.path, target: { kind: 'file', path: join(dirname(file.source.name), d.path) }, definition: false });
        break;
      case 'const':
        def(d.name, { kind: 'const', decl: d });
        for (const r of refs(d.value)) ref(r, new Map());
        break;
      case 'family': {
        def(d.name, { kind: 'family', decl: d });
        const params: Locals = new Map();
        for (const p of d.params) {
          if (p.default) for (const r of refs(p.default)) ref(r, params);
          const t: Target = { kind: 'param', param: p, family: d };
          def(p.name, t);
          params.set(p.name.name, t);
        }
        body(d.body, d, params);
        break;
      }
      case 'model': {
        def(d.name, { kind: 'model', decl: d });
        if (d.call) {
          const callee = global(d.call.callee.name);
          out.push({ span: d.call.callee.span, name: d.call.callee.name, target: callee, definition: false });
          for (const a of d.call.args) {
            if (a.name) {
              const p = callee?.kind === 'family' ? callee.decl.params.find((q) => q.name.name === a.name!.name) : undefined;
              out.push({ span: a.name.span, name: a.name.name, target: p && callee?.kind === 'family' ? { kind: 'param', param: p, family: callee.decl } : undefined, definition: false });
            }
            for (const r of refs(a.value)) ref(r, new Map());
          }
        }
        if (d.body) body(d.body, d, new Map());
        break;
      }
    }
  }
  // Recovery after a syntax error leaves empty names behind: nothing to point at.
  const real = out.filter((l) => l.name !== '');
  perScope.set(scope, real);
  return real;
}

/** The innermost link at an offset. */
export function linkAt(links: readonly Link[], offset: number): Link | undefined {
  let best: Link | undefined;
  for (const l of links) {
    if (l.span.start <= offset && offset <= l.span.end && (!best || l.span.end - l.span.start < best.span.end - best.span.start)) best = l;
  }
  return best;
}
