// Real specs for the IR tests: specs/*.dense through the parser and semantic checks, then
// lowering. Files are named relative to specs/, as the CLI names them relative to the cwd.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { analyze } from '../../src/check/analyze.js';
import type { ModelSpec } from '../../src/check/spec.js';
import { sourcesOf, type Sources } from '../../src/diagnostics/render.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Graph } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const specsDir = path.join(root, 'specs');

const readSpec = (name: string): string | undefined => {
  try {
    return fs.readFileSync(path.join(specsDir, name), 'utf8');
  } catch {
    return undefined;
  }
};

/** The spec files directly in specs/ (not lib/ or invalid/), by name. */
export function specFiles(): string[] {
  return fs.readdirSync(specsDir).filter((f) => f.endsWith('.dense')).sort();
}

export interface Compiled {
  readonly model: ModelSpec;
  readonly graph: Graph;
}

/** Analyzes `name` (text from disk unless given) and lowers every model; expects no diagnostics. */
export function compileSpec(name: string, text = readSpec(name)): { models: Compiled[]; sources: Sources } {
  expect(text, `cannot read specs/${name}`).toBeDefined();
  const analyzed = analyze(new SourceFile(name, text!), readSpec);
  expect(analyzed.diagnostics).toEqual([]);
  const models = analyzed.models.map((model) => {
    const { graph, diagnostics } = lower(model);
    expect(diagnostics).toEqual([]);
    return { model, graph: graph! };
  });
  return { models, sources: sourcesOf(analyzed.sources) };
}

/** Every model of every spec in specs/. */
export function allModels(): Array<Compiled & { file: string; sources: Sources }> {
  return specFiles().flatMap((file) => {
    const { models, sources } = compileSpec(file);
    return models.map((m) => ({ ...m, file, sources }));
  });
}

/**
 * The reference numbers (test oracles only): test/fixtures/densenet-reference.json, a copy of the
 * paper's and torchvision's figures with their sources (its `about` and per-figure `*_source`).
 */
export function reference(): Reference {
  return JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/densenet-reference.json'), 'utf8')) as Reference;
}

export interface Reference {
  imagenet: {
    input: number[];
    table1_output_sizes: Record<string, number>;
    models: Record<string, { learnable: number; bn_running_stats: number; macs?: number; stage_channels: Record<string, number> }>;
  };
  cifar: { table2: Array<{ model: string; L: number; k: number; learnable_c10: number; learnable_c100: number }> };
}
