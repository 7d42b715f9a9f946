// The models the export tests run: every model of every zoo spec (ImageNet ones at 64x64, as the
// -O0/-O2 equivalence test does, CIFAR ones at 16x16: DenseNet is size-agnostic up to its global
// pool and this keeps CI fast) and the
// hand-written specs of test/export/specs/ (odd stems, no bottlenecks, per-block lists, loose
// layers, padded pools, odd input sizes), and a fixed-seed sample of the differential tests'
// generated specs (test/fuzz/generate.ts), each elaborated by the front end as users' specs are.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/check/analyze.js';
import type { ModelSpec } from '../../src/check/spec.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import fc from 'fast-check';
import { validSpec } from '../fuzz/generate.js';

export interface ExportCase {
  /** Unique; also the file-name stem of what the Python side writes. */
  readonly label: string;
  readonly spec: ModelSpec;
}

/** Input sides for the zoo: ImageNet (224) at 64, CIFAR (32) at 16; still three resolutions or more. */
const smallSide = (side: number): number => (side > 64 ? 64 : Math.min(side, 16));

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every model of a .dense file. */
export function modelsOf(path: string): ModelSpec[] {
  const analyzed = analyze(new SourceFile(path, readFileSync(path, 'utf8')), readOrUndefined);
  if (hasErrors(analyzed.diagnostics)) throw new Error(`${path} has errors: ${analyzed.diagnostics.map((d) => d.message).join('; ')}`);
  return [...analyzed.models];
}

function reduced(spec: ModelSpec): ModelSpec {
  return { ...spec, input: { ...spec.input, height: smallSide(spec.input.height), width: smallSide(spec.input.width) } };
}

const denseFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.dense')).sort().map((f) => join(dir, f));

export const zooFiles = denseFiles('specs');
export const handWrittenFiles = denseFiles('test/export/specs');

export function exportCases(): ExportCase[] {
  const fromFiles = (files: string[], prefix: string): ExportCase[] =>
    files.flatMap((f) => modelsOf(f).map((spec) => ({ label: `${prefix}${spec.name}`, spec })));
  return [
    ...fromFiles(zooFiles, '').map((c) => ({ ...c, spec: reduced(c.spec) })),
    ...fromFiles(handWrittenFiles, 'hand-'),
    ...generatedCases(),
  ];
}

/** How many generated specs the export tests take, and from which seed (fixed: CI is repeatable). */
export const generatedSample = { seed: 20261202, count: 12 };

function generatedCases(): ExportCase[] {
  return fc.sample(validSpec, { seed: generatedSample.seed, numRuns: generatedSample.count }).flatMap((s, i) => {
    const analyzed = analyze(new SourceFile('gen.dense', s.text), (p) => s.files[p.replace(/^\.\//, '')]);
    // A generated spec that does not lower (a map shrunk below 1) is the differential tests' concern.
    if (hasErrors(analyzed.diagnostics)) return [];
    return analyzed.models.map((spec) => ({ label: `generated-${i}-${spec.name}`, spec }));
  });
}
