// The first step of inspect, graph and plan (and run, through plan): read a spec file, analyze
// it, pick the models named by --model and lower them. On failure it prints the diagnostics and
// returns the exit code: 2 for errors in the spec, 1 for a --model that selects nothing.
import { analyze } from '../check/analyze.js';
import type { ModelSpec } from '../check/spec.js';
import { append, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { sourcesOf, type Sources } from '../diagnostics/render.js';
import { SourceFile } from '../diagnostics/source.js';
import type { Graph } from '../ir/graph.js';
import { lower } from '../ir/lower.js';
import { Exit } from './exit.js';
import { fail, readSpec, readUse, unreadable, type Terminal } from './io.js';
import { selectModels } from './program.js';

export interface LoweredModel {
  readonly spec: ModelSpec;
  readonly graph: Graph;
}

export interface LoweredFile {
  readonly models: readonly LoweredModel[];
  /** Diagnostics that are not errors, for the caller to print with its output. */
  readonly warnings: readonly Diagnostic[];
  readonly sources: Sources;
}

export function lowerSpecFile(term: Terminal, file: string, model: string | undefined, options: { one?: boolean } = {}): LoweredFile | number {
  const text = readSpec(file);
  if (typeof text !== 'string') return fail(term, [unreadable(file, text.unreadable)], () => undefined, Exit.input);
  const analyzed = analyze(new SourceFile(file, text), readUse);
  const sources = sourcesOf(analyzed.sources);
  const diagnostics: Diagnostic[] = [...analyzed.diagnostics];
  if (hasErrors(diagnostics)) return fail(term, diagnostics, sources, Exit.spec);
  const selected = selectModels(file, analyzed.models, model, options);
  if ('error' in selected) return fail(term, [selected.error], sources, Exit.usage);
  const models: LoweredModel[] = [];
  for (const spec of selected.models) {
    const lowered = lower(spec);
    append(diagnostics, lowered.diagnostics);
    if (lowered.graph) models.push({ spec, graph: lowered.graph });
  }
  if (hasErrors(diagnostics)) return fail(term, diagnostics, sources, Exit.spec);
  return { models, warnings: diagnostics, sources };
}
