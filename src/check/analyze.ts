// Semantic analysis: the entry file and what it uses -> elaborated models and diagnostics.
//   load (parse every file, follow `use`) -> scopes -> source rules -> for each model of the
//   entry: instantiate its family (or take its body), elaborate, model rules -> ModelSpec.
// Syntax errors stop it after loading (an AST rebuilt after recovery is not worth checking).
// A model comes out only if nothing reported an error against it or the text it depends on.
import type { ModelDecl } from '../ast/nodes.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
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
  // Syntax errors, missing files and cycles: what follows would only repeat them in other words.
  if (hasErrors(loaded.diagnostics)) return { sources, models: [], diagnostics: finish(loaded.diagnostics), program };

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
