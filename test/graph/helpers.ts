// The models of specs/, analyzed and lowered, for the picture tests.
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../src/check/analyze.js';
import type { ModelSpec } from '../../src/check/spec.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Graph } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';

export const root = path.resolve(import.meta.dirname, '../..');

export interface Lowered {
  readonly file: string;
  readonly spec: ModelSpec;
  readonly graph: Graph;
}

const read = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

/** Every model of every spec directly in specs/, lowered. */
export function specModels(): Lowered[] {
  const dir = path.join(root, 'specs');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.dense')).sort();
  return files.flatMap((f) => {
    const file = path.join(dir, f);
    const analysis = analyze(new SourceFile(file, fs.readFileSync(file, 'utf8')), read);
    if (analysis.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${f}: ${analysis.diagnostics.map((d) => d.message).join('; ')}`);
    return analysis.models.map((spec) => {
      const { graph } = lower(spec);
      if (!graph) throw new Error(`${spec.name} did not lower`);
      return { file: `specs/${f}`, spec, graph };
    });
  });
}
