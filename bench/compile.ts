// The compiler's own time, phase by phase: parse (with checking and elaboration), lower, seeded
// weights, passes, emit, write. Each phase is timed over `repeats` compilations and
// its median kept, since one compilation takes milliseconds and the machine is shared.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/check/analyze.js';
import type { ModelSpec } from '../src/check/spec.js';
import { SourceFile } from '../src/diagnostics/source.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import type { Graph } from '../src/ir/graph.js';
import { lower } from '../src/ir/lower.js';
import { initWeights } from '../src/ir/weights.js';
import { emitOnnx, type EmitOptions } from '../src/emit/onnx.js';
import { optimize, type OptimizeOptions, type OptLevel, type PassRecord } from '../src/passes/pipeline.js';
import { median } from './stats.js';

export interface PhaseTimes {
  readonly parse: number;
  readonly lower: number;
  readonly weights: number;
  readonly passes: number;
  readonly emit: number;
  readonly write: number;
  /** CPU time of the whole compilation (user + system, this process), steadier than wall time under load. */
  readonly cpu: number;
}

export interface Compiled {
  readonly spec: ModelSpec;
  /** The lowered graph with weights (-O0). */
  readonly lowered: Graph;
  readonly graph: Graph;
  readonly log: PassRecord[];
  readonly file: string;
  readonly bytes: number;
  readonly times: PhaseTimes;
}

export interface Variant {
  readonly level: OptLevel;
  readonly optimize?: OptimizeOptions;
  readonly emit?: EmitOptions;
  /** Appended to the file name: `densenet121.O2<suffix>.onnx`. */
  readonly suffix?: string;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const now = (): number => performance.now();

/** The emitted parts one after another, as `densec compile` writes them. */
function writeParts(file: string, parts: readonly Uint8Array[]): void {
  const fd = openSync(file, 'w');
  try {
    for (const p of parts) for (let at = 0; at < p.length; ) at += writeSync(fd, p, at, p.length - at);
  } finally {
    closeSync(fd);
  }
}

/** Compiles the first model of `specFile` `repeats` times; writes it under `outDir`. */
export function compileTimed(specFile: string, variant: Variant, outDir: string, repeats: number, seed = 1): Compiled {
  const samples: PhaseTimes[] = [];
  let last: Omit<Compiled, 'times'> | undefined;
  mkdirSync(outDir, { recursive: true });
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = now();
    const analyzed = analyze(new SourceFile(specFile, readFileSync(specFile, 'utf8')), readOrUndefined);
    if (hasErrors(analyzed.diagnostics) || analyzed.models.length === 0) throw new Error(`${specFile} does not compile`);
    const spec = analyzed.models[0];
    const t1 = now();
    const lowered = lower(spec).graph;
    if (!lowered) throw new Error(`${specFile} does not lower`);
    const tw = now();
    initWeights(lowered, { seed, randomBnStats: true });
    const t2 = now();
    const { graph, log } = optimize(lowered, variant.level, variant.optimize ?? {});
    const t3 = now();
    const emitted = emitOnnx(graph, { head: 'softmax', ...variant.emit });
    const t4 = now();
    const file = join(outDir, `${spec.name}.O${variant.level}${variant.suffix ?? ''}.onnx`);
    writeParts(file, emitted.modelParts.parts);
    const t5 = now();
    const c = process.cpuUsage(c0);
    samples.push({ parse: t1 - t0, lower: tw - t1, weights: t2 - tw, passes: t3 - t2, emit: t4 - t3, write: t5 - t4, cpu: (c.user + c.system) / 1000 });
    last = { spec, lowered, graph, log, file, bytes: emitted.modelParts.byteLength };
  }
  const med = (k: keyof PhaseTimes): number => median(samples.map((s) => s[k]));
  return { ...last!, times: { parse: med('parse'), lower: med('lower'), weights: med('weights'), passes: med('passes'), emit: med('emit'), write: med('write'), cpu: med('cpu') } };
}
