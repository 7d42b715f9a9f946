// Semantic analysis: the entry file and what it uses -> elaborated models and diagnostics.
//   load (parse every file, follow `use`) -> scopes -> source rules -> for each model of the
//   entry: instantiate its family (or take its body), elaborate, model rules -> ModelSpec.
// After syntax errors only what a statement the parser dropped cannot cause is checked: the
// values and clauses (D04) of each model, on lines without a syntax error; names, shapes and
// models wait for a file that parses. Missing files and cycles stop it after loading.
// A model comes out only if nothing reported an error against it or the text it depends on.
import type { ModelDecl } from '../ast/nodes.js';
import { append, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Span } from '../diagnostics/span.js';
import type { Parsed } from '../syntax/parse.js';
import { finalize, type Draft } from './draft.js';
import { Elaborator } from './elaborate.js';
import { instantiate } from './instantiate.js';
import { load, type Program, type ReadFile } from './load.js';
import { modelRules, sourceRules } from './rules/index.js';
import type { Scope } from './scope.js';
import { fileScopes } from './scope.js';
import type { ModelSpec } from './spec.js';
import { Evaluator } from './values.js';

export interface Analysis {
  readonly sources: SourceFile[];
  readonly models: ModelSpec[];
  readonly diagnostics: Diagnostic[];
  /** The loaded files and their ASTs (for tools that look at the source, like the language server). */
  readonly program: Program;
}

export interface AnalyzeOptions {
  /** Parses one file; the language server passes a cache. */
  readonly parse?: (source: SourceFile) => Parsed;
}

export function analyze(entry: SourceFile, readFile: ReadFile, options: AnalyzeOptions = {}): Analysis {
  const loaded = load(entry, readFile, options.parse);
  const { program } = loaded;
  const sources = program.files.map((f) => f.source);
  if (hasErrors(loaded.diagnostics)) {
    const later = loaded.diagnostics.every((d) => d.severity !== 'error' || isSyntax(d)) ? afterSyntaxErrors(program, loaded.diagnostics) : [];
    return { sources, models: [], diagnostics: finish([...loaded.diagnostics, ...later]), program };
  }

  const scopes = fileScopes(program);
  const diagnostics = [...loaded.diagnostics];
  for (const file of program.files) for (const rule of sourceRules) diagnostics.push(...rule.check(file, { program, scopes }));
  const textIsValid = !hasErrors(diagnostics);

  const models: ModelSpec[] = [];
  const scope = scopes.get(program.entry)!;
  for (const decl of program.entry.ast.decls) {
    if (decl.kind !== 'model') continue;
    const found: Diagnostic[] = [];
    const draft = elaborate(decl, scope, found);
    if (draft) for (const rule of modelRules) found.push(...rule.check(draft));
    diagnostics.push(...found.map((d) => inModel(d, decl)));
    const spec = draft && textIsValid && !hasErrors(found) ? finalize(draft) : undefined;
    if (spec) models.push(spec);
  }
  return { sources, models, diagnostics: finish(diagnostics), program };
}

function elaborate(decl: ModelDecl, fileScope: Scope, out: Diagnostic[]): Draft | undefined {
  const ev = new Evaluator(out);
  const el = new Elaborator(ev, out);
  let body;
  if (decl.call) {
    const instance = instantiate(decl.call, fileScope, ev, out);
    if (!instance) return undefined;
    body = el.body(instance.family.body, instance.scope);
  } else {
    body = el.body(decl.body ?? [], fileScope);
  }
  const claim = decl.claim && { relation: decl.claim.relation, paper: decl.claim.paper, span: decl.claim.span };
  return { name: decl.name.name, span: decl.span, claim, input: body.input, layers: body.layers };
}

/** A problem found in another file (a library's family) says which model led there. */
function inModel(d: Diagnostic, decl: ModelDecl): Diagnostic {
  if (!d.span || d.span.file === decl.span.file || d.secondary.some((s) => s.span.file === decl.span.file)) return d;
  return { ...d, secondary: [...d.secondary, { span: decl.call?.span ?? decl.name.span, message: `while elaborating \`${decl.name.name}\`` }] };
}

const isSyntax = (d: Diagnostic): boolean => /^D0[12]/.test(d.code);

/**
 * The values and clauses (D04) of every model of a file with syntax errors, except on the lines
 * of those errors and at values recovery made up: a statement the parser dropped cannot make a value out of range, while it
 * could make a name unknown or a shape wrong, so those wait for a file that parses.
 */
function afterSyntaxErrors(program: Program, syntax: readonly Diagnostic[]): Diagnostic[] {
  const sourceOf = new Map(program.files.map((f) => [f.source.name, f.source]));
  const lineOf = (span: Span): string => `${span.file}:${sourceOf.get(span.file)?.position(span.start).line}`;
  const broken = new Set(syntax.flatMap((d) => (d.span ? [lineOf(d.span)] : [])));
  const out: Diagnostic[] = [];
  try {
    const scope = fileScopes(program).get(program.entry)!;
    for (const decl of program.entry.ast.decls) {
      if (decl.kind !== 'model') continue;
      const found: Diagnostic[] = [];
      const draft = elaborate(decl, scope, found);
      if (draft) for (const rule of modelRules) append(found, rule.check(draft));
      // An empty span is a value recovery put in for a missing one (`linear` with no count).
      for (const d of found) if (d.code.startsWith('D04') && d.span && d.span.end > d.span.start && !broken.has(lineOf(d.span))) out.push(inModel(d, decl));
    }
  } catch (e) {
    // A tree rebuilt by recovery may lack a part a rule reads: the rest waits for a file that parses.
    if (!(e instanceof TypeError)) throw e;
  }
  return out;
}

/** The same diagnostic found twice (a family used by two models) is shown once, in order. */
function finish(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.code}|${d.span?.file}|${d.span?.start}|${d.span?.end}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return sortDiagnostics(unique);
}
