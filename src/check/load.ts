// Loads the entry file and every file it `use`s, transitively, each parsed once. A missing file
// is D0902 at the path in the `use`, an unreadable one D0930; a cycle is D0903 at the `use` that
// closes it; a chain deeper than maxUseDepth is D0931 (each level is a frame of `visit`).
import type { SpecFile, UseDecl } from '../ast/nodes.js';
import { append, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { parse, type Parsed } from '../syntax/parse.js';
import { dirname, join } from './paths.js';

export interface Loaded {
  readonly source: SourceFile;
  readonly ast: SpecFile;
  /** The files its `use` declarations name, in order (missing ones and cycles left out). */
  readonly uses: ReadonlyArray<{ readonly decl: UseDecl; readonly file: Loaded }>;
}

export interface Program {
  readonly entry: Loaded;
  /** Every loaded file, the entry first. */
  readonly files: readonly Loaded[];
}

/** What a reader returns: the text, undefined for a missing file, or why it cannot be read. */
export type ReadFile = (path: string) => string | { readonly unreadable: string } | undefined;

/** Files deep a `use` chain may go: far past any real spec, well inside the stack. */
export const maxUseDepth = 64;

/** `parseFile` lets a caller reuse parses of unchanged text (the language server caches them). */
export function load(entry: SourceFile, readFile: ReadFile, parseFile: (source: SourceFile) => Parsed = parse): { program: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map<string, Loaded>();
  const files: Loaded[] = [];
  const onStack: string[] = [];

  const visit = (source: SourceFile): Loaded => {
    const parsed = parseFile(source);
    append(diagnostics, parsed.diagnostics);
    const uses: Array<{ decl: UseDecl; file: Loaded }> = [];
    const loaded: Loaded = { source, ast: parsed.file, uses };
    byName.set(source.name, loaded);
    files.push(loaded);
    onStack.push(source.name);
    // After a syntax error a `use` path may be a recovery artefact: do not follow it.
    for (const decl of parsed.diagnostics.length > 0 ? [] : parsed.file.decls) {
      if (decl.kind !== 'use') continue;
      const target = follow(decl, source.name);
      if (target) uses.push({ decl, file: target });
    }
    onStack.pop();
    return loaded;
  };

  const follow = (use: UseDecl, from: string): Loaded | undefined => {
    const path = join(dirname(from), use.path);
    const cycleAt = onStack.indexOf(path);
    if (cycleAt >= 0) {
      const cycle = [...onStack.slice(cycleAt), path].map((p) => `\`${p}\``).join(' -> ');
      diagnostics.push(diagnostic('D0903', use.pathSpan, { cycle }));
      return undefined;
    }
    const known = byName.get(path);
    if (known) return known;
    if (onStack.length >= maxUseDepth) {
      diagnostics.push(diagnostic('D0931', use.pathSpan, { limit: maxUseDepth, depth: onStack.length + 1 }));
      return undefined;
    }
    const text = use.path === '' ? undefined : readFile(path);
    if (text === undefined) {
      diagnostics.push(diagnostic('D0902', use.pathSpan, { path }));
      return undefined;
    }
    if (typeof text !== 'string') {
      diagnostics.push(diagnostic('D0930', use.pathSpan, { path, reason: text.unreadable }));
      return undefined;
    }
    return visit(new SourceFile(path, text));
  };

  const root = visit(entry);
  return { program: { entry: root, files }, diagnostics };
}
