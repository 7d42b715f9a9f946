// The compiler's own time, phase by phase: parse (with checking and elaboration), lower, seeded
// weights (their recipes: they are drawn as the file is written), passes, emit, write. Each
// phase is timed over `repeats` compilations and its median kept, since one compilation takes
// milliseconds and the machine is shared.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '../src/check/spec.js';
import { writeData } from '../src/cli/write.js';
import { drive } from '../src/driver.js';
import type { Graph } from '../src/ir/graph.js';
import type { EmitOptions } from '../src/emit/onnx.js';
import type { OptimizeOptions, OptLevel, PassRecord } from '../src/passes/pipeline.js';
import { median } from '../src/runtime/stats.js';

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
  /** The lowered graph (-O0); its weights were consumed by the passes, as in `densec compile`. */
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

/** Compiles the first model of `specFile` `repeats` times; writes it under `outDir`. */
export function compileTimed(specFile: string, variant: Variant, outDir: string, repeats: number, seed = 1): Compiled {
  const samples: PhaseTimes[] = [];
  let last: Omit<Compiled, 'times'> | undefined;
  mkdirSync(outDir, { recursive: true });
  const text = readFileSync(specFile, 'utf8');
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const driven = drive(text, {
      fileName: specFile,
      readFile: readOrUndefined,
      optLevel: variant.level,
      seed,
      randomBnStats: true,
      // As `densec compile` does: the passes fold into and regroup the lowered weights, and the
      // weights are drawn as the file is written (materializeWeights for the executor).
      consumeWeights: true,
      deferWeights: true,
      ...(variant.optimize?.concat ? { concat: variant.optimize.concat } : {}),
      ...(variant.emit?.fusedForm ? { fusedForm: variant.emit.fusedForm } : {}),
    });
    const model = driven.models[0];
    if (driven.failure || !model) throw new Error(`${specFile} does not compile`);
    const { prepared, emitted } = { prepared: model.prepared!, emitted: model.emitted! };
    const t0 = now();
    const file = join(outDir, `${model.spec.name}.O${variant.level}${variant.suffix ?? ''}.onnx`);
    // The emitted parts one after another, as `densec compile` writes them (before its rename).
    writeData(file, emitted.modelParts, 'w');
    const write = now() - t0;
    const c = process.cpuUsage(c0);
    const t = driven.times;
    samples.push({ parse: t.analyze, lower: t.lower, weights: t.weights, passes: t.optimize, emit: t.emit, write, cpu: (c.user + c.system) / 1000 });
    last = { spec: model.spec, lowered: prepared.lowered, graph: prepared.graph, log: prepared.log, file, bytes: emitted.modelParts.byteLength };
  }
  const med = (k: keyof PhaseTimes): number => median(samples.map((s) => s[k]));
  return { ...last!, times: { parse: med('parse'), lower: med('lower'), weights: med('weights'), passes: med('passes'), emit: med('emit'), write: med('write'), cpu: med('cpu') } };
}
