// Names. A file sees its own constants and families and those of the files it `use`s (not
// transitively). Family bodies are evaluated in the scope of the file that declares them.
// Duplicates are reported by rules/duplicates.ts; here the first declaration wins.
import type { ConstDecl, FamilyDecl } from '../ast/nodes.js';
import type { Span } from '../diagnostics/span.js';
import type { Loaded, Program } from './load.js';
import type { Value } from './values.js';

export type Entry =
  | { readonly kind: 'const'; readonly decl: ConstDecl; readonly scope: Scope }
  | { readonly kind: 'family'; readonly decl: FamilyDecl; readonly scope: Scope }
  /** A family parameter or a `let`, already evaluated (undefined: its value was in error). */
  | { readonly kind: 'value'; readonly value: Value | undefined; readonly span: Span };

export class Scope {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly parent: Scope | undefined) {}

  define(name: string, entry: Entry): void {
    if (!this.entries.has(name)) this.entries.set(name, entry);
  }

  /** Defines or replaces a name in this scope (a `let` that shadows). */
  set(name: string, entry: Entry): void {
    this.entries.set(name, entry);
  }

  get(name: string): Entry | undefined {
    return this.entries.get(name) ?? this.parent?.get(name);
  }

  /** Every name visible from here, for "did you mean". */
  names(): string[] {
    return [...new Set([...this.entries.keys(), ...(this.parent?.names() ?? [])])];
  }

  child(): Scope {
    return new Scope(this);
  }
}

/** One scope per loaded file: its own names first, then those of the files it uses. */
export function fileScopes(program: Program): Map<Loaded, Scope> {
  const visible = new Map<Loaded, Scope>(program.files.map((f) => [f, new Scope(undefined)]));
  const declared = (file: Loaded): Array<[string, Entry]> =>
    file.ast.decls.flatMap((decl): Array<[string, Entry]> => {
      const scope = visible.get(file)!;
      if (decl.kind === 'const') return [[decl.name.name, { kind: 'const', decl, scope }]];
      if (decl.kind === 'family') return [[decl.name.name, { kind: 'family', decl, scope }]];
      return [];
    });
  for (const file of program.files) {
    const scope = visible.get(file)!;
    for (const [name, entry] of declared(file)) scope.define(name, entry);
    for (const used of file.uses) for (const [name, entry] of declared(used.file)) scope.define(name, entry);
  }
  return visible;
}
