// A model's family call -> the family's scope with every parameter bound. Positional arguments
// fill parameters in order, named ones by name; parameters left over take their defaults, which
// are evaluated in the family's file and may use earlier parameters (`stem = 2 * k`).
import type { Call, FamilyDecl } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Scope } from './scope.js';
import { closest } from './suggest.js';
import type { Evaluator, Value } from './values.js';

export interface Instance {
  readonly family: FamilyDecl;
  readonly scope: Scope;
}

export function instantiate(call: Call, callerScope: Scope, ev: Evaluator, out: Diagnostic[]): Instance | undefined {
  const entry = callerScope.get(call.callee.name);
  // Arguments are evaluated even when the family is unknown, to report what is wrong in them.
  const values = call.args.map((a) => ev.evaluate(a.value, callerScope));
  if (entry?.kind !== 'family') {
    const families = callerScope.names().filter((n) => callerScope.get(n)?.kind === 'family');
    const guess = closest(call.callee.name, families);
    out.push(diagnostic('D0302', call.callee.span, { name: call.callee.name }, guess ? { help: `did you mean \`${guess}\`?` } : {}));
    return undefined;
  }
  const family = entry.decl;
  const params = family.params.map((p) => p.name.name);
  const list = params.map((p) => `\`${p}\``).join(', ') || 'no arguments';
  const given = new Map<string, Value | undefined>();
  let failed = false;
  let named = false;
  call.args.forEach((arg, i) => {
    if (!arg.name) {
      if (named) {
        out.push(diagnostic('D0309', arg.span));
        failed = true;
      } else if (i >= params.length) {
        out.push(diagnostic('D0308', arg.span, { family: family.name.name, count: params.length, found: call.args.length, params: list }));
        failed = true;
      } else {
        given.set(params[i], values[i]);
      }
      return;
    }
    named = true;
    const name = arg.name.name;
    if (!params.includes(name)) {
      const guess = closest(name, params);
      const help = guess ? { help: `did you mean \`${guess}\`? \`${family.name.name}\` takes: ${list}` } : {};
      out.push(diagnostic('D0306', arg.name.span, { family: family.name.name, name, params: list }, help));
      failed = true;
    } else if (given.has(name)) {
      out.push(diagnostic('D0307', arg.name.span, { name }));
      failed = true;
    } else {
      given.set(name, values[i]);
    }
  });

  const scope = entry.scope.child();
  for (const p of family.params) {
    const name = p.name.name;
    if (given.has(name)) {
      scope.define(name, { kind: 'value', value: given.get(name), span: p.span });
    } else if (p.default) {
      scope.define(name, { kind: 'value', value: ev.evaluate(p.default, scope), span: p.span });
    } else if (!failed) {
      const secondary = [{ span: p.span, message: 'declared here without a default' }];
      out.push(diagnostic('D0305', call.span, { name, family: family.name.name }, { secondary }));
      failed = true;
    }
  }
  if (failed || values.some((v) => v === undefined)) return undefined;
  return { family, scope };
}
