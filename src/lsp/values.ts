// The value a name has, evaluated by the front end (check/values.ts, check/instantiate.ts):
// a constant in its file's scope; a family parameter or `let` as the first context model (see
// figures.ts) binds it, since a family alone has no values.
import type { Stmt } from '../ast/nodes.js';
import { instantiate } from '../check/instantiate.js';
import type { Scope } from '../check/scope.js';
import { show } from '../check/suggest.js';
import { Evaluator, type Value } from '../check/values.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Target } from './names.js';
import { scopesOf } from './view.js';
import { Workspace } from './workspace.js';

export function valueText(v: Value): string {
  return v.kind === 'num' ? show(v.value) : `[${v.items.map(valueText).join(', ')}]`;
}

export interface Evaluated {
  readonly value: Value;
  /** The model that gave a parameter or `let` its value. */
  readonly model?: string;
}

export function valueOf(ws: Workspace, target: Target): Evaluated | undefined {
  const quiet: Diagnostic[] = [];
  const ev = new Evaluator(quiet);
  if (target.kind === 'const') {
    const file = target.decl.span.file;
    for (const a of ws.contexts(file)) {
      const loaded = Workspace.loaded(a, file);
      const entry = loaded && scopesOf(a).get(loaded)?.get(target.decl.name.name);
      if (entry?.kind !== 'const') continue;
      const value = ev.evaluate(entry.decl.value, entry.scope);
      return value && { value };
    }
    return undefined;
  }
  if (target.kind === 'param' || (target.kind === 'let' && target.owner.kind === 'family')) {
    const family = target.kind === 'param' ? target.family : target.owner;
    const bound = familyScope(ws, family.name.span.file, family.name.span.start, ev);
    if (!bound) return undefined;
    const value = target.kind === 'param' ? lookup(bound.scope, target.param.name.name) : letValue(family.kind === 'family' ? family.body : [], target.stmt, bound.scope, ev);
    return value && { value, model: bound.model };
  }
  if (target.kind === 'let' && target.owner.kind === 'model') {
    const file = target.owner.span.file;
    const a = ws.contexts(file)[0];
    const loaded = a && Workspace.loaded(a, file);
    const scope = loaded && scopesOf(a).get(loaded);
    const value = scope && letValue(target.owner.body ?? [], target.stmt, scope, ev);
    return value ? { value } : undefined;
  }
  return undefined;
}

/** The family's scope with its parameters bound by the first context model that calls it. */
function familyScope(ws: Workspace, file: string, at: number, ev: Evaluator): { scope: Scope; model: string } | undefined {
  for (const a of ws.contexts(file)) {
    const entry = a.analysis.program.entry;
    const scope = scopesOf(a).get(entry)!;
    for (const d of entry.ast.decls) {
      if (d.kind !== 'model' || !d.call) continue;
      const callee = scope.get(d.call.callee.name);
      if (callee?.kind !== 'family' || callee.decl.name.span.file !== file || callee.decl.name.span.start !== at) continue;
      const instance = instantiate(d.call, scope, ev, []);
      if (instance) return { scope: instance.scope, model: d.name.name };
    }
  }
  return undefined;
}

function lookup(scope: Scope, name: string): Value | undefined {
  const e = scope.get(name);
  return e?.kind === 'value' ? e.value : undefined;
}

/** Binds the body's `let`s in order, as elaborate.ts does, up to `target`. */
function letValue(body: readonly Stmt[], target: Stmt, outer: Scope, ev: Evaluator): Value | undefined {
  const scope = outer.child();
  for (const s of body) {
    if (s.kind !== 'let') continue;
    const value = ev.evaluate(s.value, scope);
    if (s === target) return value;
    scope.set(s.name.name, { kind: 'value', value, span: s.span });
  }
  return undefined;
}
