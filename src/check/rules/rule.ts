// Semantic rules: small functions that each check one thing and return diagnostics.
// Source rules look at a file's AST (once per file, whatever instantiates it); model rules look
// at an elaborated model (draft.ts), whose numbers remember where they were written.
import type { Ident, Stmt } from '../../ast/nodes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import type { Draft } from '../draft.js';
import type { Loaded, Program } from '../load.js';
import type { Scope } from '../scope.js';

export interface SourceContext {
  readonly program: Program;
  /** What each file can see. */
  readonly scopes: ReadonlyMap<Loaded, Scope>;
}

export interface SourceRule {
  readonly name: string;
  check(file: Loaded, ctx: SourceContext): Diagnostic[];
}

export interface ModelRule {
  readonly name: string;
  check(model: Draft): Diagnostic[];
}

/** A body of statements and what owns it: a family or a model with its own body. */
export interface OwnedBody {
  readonly owner: Ident;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export function bodiesOf(file: Loaded): OwnedBody[] {
  return file.ast.decls.flatMap((d): OwnedBody[] => {
    if (d.kind === 'family') return [{ owner: d.name, body: d.body, span: d.span }];
    if (d.kind === 'model' && d.body) return [{ owner: d.name, body: d.body, span: d.span }];
    return [];
  });
}
