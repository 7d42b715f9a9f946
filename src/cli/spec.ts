// The first step of inspect, graph and plan (and run, through plan): read a spec file and run the
// driver on it to the models named by --model, lowered (or, with `optimize`, seeded and
// optimized). On failure it prints the diagnostics and returns the exit code: 2 for errors in
// the spec, 1 for a --model that selects nothing.
import type { ModelSpec } from '../check/spec.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { sourcesOf, type Sources } from '../diagnostics/render.js';
import { drive } from '../driver.js';
import type { BuildOptions } from '../emit/build.js';
import type { Graph } from '../ir/graph.js';
import { Exit } from './exit.js';
import { fail, readSpec, readUse, unreadable, type Terminal } from './io.js';

export interface LoweredModel {
  readonly spec: ModelSpec;
  readonly graph: Graph;
}

export interface LoweredFile {
  readonly models: readonly LoweredModel[];
  /** Diagnostics that are not errors, for the caller to print with its output. */
  readonly warnings: readonly Diagnostic[];
  readonly sources: Sources;
  /** The spec file's text, as read (export hashes it). */
  readonly text: string;
}

/** With `optimize`, each graph is the optimized one (seeded weights), built with those options. */
export function lowerSpecFile(
  term: Terminal,
  file: string,
  model: string | undefined,
  options: { one?: boolean; optimize?: BuildOptions } = {},
): LoweredFile | number {
  const text = readSpec(file);
  if (typeof text !== 'string') return fail(term, [unreadable(file, text.unreadable)], () => undefined, Exit.input);
  const driven = drive(text, {
    ...options.optimize,
    fileName: file,
    readFile: readUse,
    ...(model !== undefined ? { model } : {}),
    ...(options.one ? { one: true } : {}),
    until: options.optimize ? 'optimized' : 'lowered',
    optionNames: 'cli',
  });
  const sources = sourcesOf(driven.sources);
  if (driven.failure) return fail(term, driven.diagnostics, sources, driven.failure === 'usage' ? Exit.usage : Exit.spec);
  const models = driven.models.map((m) => ({ spec: m.spec, graph: m.prepared ? m.prepared.graph : m.lowered! }));
  return { models, warnings: driven.diagnostics, sources, text };
}
