// From an elaborated model to ONNX bytes: lower, import trained weights (if given), attach seeded
// weights to whatever is left, optimize, emit. Imported BatchNorm statistics are in the graph
// before the passes run, so the folds see them exactly as they see seeded ones.
// Pure (no I/O); the driver (driver.ts) and the verifier share it. `prepare` does the work up to
// the optimized graph once; `emitPrepared` writes a graph it made (the verifier emits the lowered
// graph, and the optimized one with stage outputs) and never optimizes.
import type { ModelSpec } from '../check/spec.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { append, hasErrors } from '../diagnostics/diagnostic.js';
import type { Graph } from '../ir/graph.js';
import { IrError } from '../ir/graph.js';
import { lower } from '../ir/lower.js';
import { initWeights } from '../ir/weights.js';
import { optimize, type ConcatForm, type OptimizeOptions, type OptLevel, type PassRecord } from '../passes/pipeline.js';
import { version } from '../version.js';
import { importWeights } from '../weights/import.js';
import type { TensorMap } from '../weights/tensor.js';
import { emitOnnx, type EmitOptions, type Emitted } from './onnx.js';
import { defaultOpset } from './opset.js';
import { summary } from './summary.js';

/** Trained weights, read by the caller (weights/read.ts): torchvision's state-dict names. */
export interface WeightsOption {
  readonly tensors: TensorMap;
  /** The file's name, for messages and metadata (only its last path segment is kept). */
  readonly file: string;
  /** The file's SHA-256, hex, recorded in the metadata when given. */
  readonly sha256?: string;
  /** Import what fits and leave the rest seeded (D0762), instead of all or nothing. */
  readonly partial?: boolean;
}

export interface BuildOptions {
  readonly optLevel?: OptLevel;
  readonly opset?: number;
  readonly head?: 'softmax' | 'logits';
  readonly seed?: number;
  readonly randomBnStats?: boolean;
  readonly externalData?: boolean;
  readonly externalDataLocation?: string;
  readonly stageOutputs?: boolean;
  readonly fusedForm?: EmitOptions['fusedForm'];
  readonly dropout?: EmitOptions['dropout'];
  readonly concat?: ConcatForm;
  /** Every parameter from these tensors instead of seeded ones; all or nothing (D07). */
  readonly weights?: WeightsOption;
  /** Element type of weights and compute; the input and output stay float32. Default float32. */
  readonly dtype?: EmitOptions['dtype'];
  /** For metadata_props: the spec's file name (only its last path segment is kept) and text hash. */
  readonly sourceName?: string;
  readonly sourceSha256?: string;
  /**
   * The optimizer may overwrite and drop the lowered graph's weights (OptimizeOptions
   * .consumeWeights): one copy of the weights in memory; only the optimized graph can be emitted.
   */
  readonly consumeWeights?: boolean;
  /**
   * Conv and linear weights are drawn only as the emitted parts are written (ir/deferred.ts),
   * never all in memory at once: for a caller that writes the parts and reads no weight values
   * from the graphs (materializeWeights gives a graph its values). Same bytes.
   */
  readonly deferWeights?: boolean;
  /** More metadata_props after densec's own (`densec tune` records its choice and timings). */
  readonly extraMetadata?: readonly (readonly [string, string])[];
}

export interface Prepared {
  readonly spec: ModelSpec;
  readonly options: BuildOptions;
  /** The lowered graph, before optimization, with weights. */
  readonly lowered: Graph;
  /** The optimized graph (sharing weight tensors with `lowered`). */
  readonly graph: Graph;
  readonly log: PassRecord[];
  /** Milliseconds spent lowering, attaching weights (imported and seeded) and optimizing, for the bench. */
  readonly times: { readonly lower: number; readonly weights: number; readonly optimize: number };
}

export interface Built extends Prepared {
  readonly emitted: Emitted;
}

export function prepare(spec: ModelSpec, options: BuildOptions = {}): { prepared?: Prepared; diagnostics: Diagnostic[] } {
  const t0 = performance.now();
  const { graph: lowered, diagnostics } = lower(spec);
  if (!lowered || hasErrors(diagnostics)) return { diagnostics };
  const tw = performance.now();
  if (options.weights) {
    const imported = importWeights(lowered, options.weights.tensors, options.weights.file, { partial: options.weights.partial ?? false });
    append(diagnostics, imported.diagnostics);
    if (!imported.ok) return { diagnostics };
  }
  initWeights(lowered, { seed: options.seed ?? 0, randomBnStats: options.randomBnStats ?? false, defer: options.deferWeights ?? false });
  const t1 = performance.now();
  const { graph, log } = optimize(lowered, options.optLevel ?? 2, optimizeOptions(options));
  const times = { lower: tw - t0, weights: t1 - tw, optimize: performance.now() - t1 };
  return { prepared: { spec, options, lowered, graph, log, times }, diagnostics };
}

function optimizeOptions(o: BuildOptions): OptimizeOptions {
  return { ...(o.concat ? { concat: o.concat } : {}), keepStageOutputs: o.stageOutputs ?? false, consumeWeights: o.consumeWeights ?? false };
}

/**
 * The optimized graph with every stage's output kept (split-block-output would remove the dense
 * blocks' outputs): `p.graph` when prepared with `stageOutputs`, else a second optimization.
 */
export function stagedGraph(p: Prepared): Graph {
  if (p.options.stageOutputs) return p.graph;
  if (p.options.consumeWeights) throw new IrError('the lowered graph gave up its weights (consumeWeights): it cannot be optimized again');
  return optimize(p.lowered, p.options.optLevel ?? 2, optimizeOptions({ ...p.options, stageOutputs: true })).graph;
}

/** Emits `graph` (by default the optimized one) with `overrides` applied; -O0 when it is the lowered graph. */
export function emitPrepared(p: Prepared, overrides: BuildOptions = {}, graph: Graph = p.graph): Emitted {
  const o = { ...p.options, ...overrides };
  const unoptimized = graph === p.lowered;
  const optLevel = unoptimized ? 0 : (p.options.optLevel ?? 2);
  const opset = o.opset ?? defaultOpset;
  const seed = o.seed ?? 0;
  if (unoptimized && graph !== p.graph && p.options.consumeWeights) throw new IrError('the lowered graph gave up its weights (consumeWeights): only the optimized graph can be emitted');
  const metadata: [string, string][] = [
    ['source', (o.sourceName ?? '').split(/[\\/]/).pop() ?? ''],
    ['source_sha256', o.sourceSha256 ?? ''],
    ['densec_version', version],
    ['opset', String(opset)],
    ['opt_level', String(optLevel)],
    ['seed', String(seed)],
    ['random_bn_stats', String(o.randomBnStats ?? false)],
    ...(o.dtype === 'float16' ? [['dtype', 'float16'] as [string, string]] : []),
    ...(o.weights ? weightsMetadata(o.weights) : []),
    ...(o.extraMetadata ?? []).map(([k, v]): [string, string] => [k, v]),
  ];
  return emitOnnx(graph, {
    opset,
    head: o.head ?? 'softmax',
    fusedForm: o.fusedForm ?? 'bn',
    dropout: o.dropout ?? 'omit',
    dtype: o.dtype ?? 'float32',
    stageOutputs: o.stageOutputs ?? false,
    externalData: o.externalData ?? false,
    ...(o.externalDataLocation ? { externalDataLocation: o.externalDataLocation } : {}),
    metadata,
    docString: summary(p.lowered, graph, `densec ${version}, -O${optLevel}, opset ${opset}, seed ${seed}`),
  });
}

function weightsMetadata(w: WeightsOption): [string, string][] {
  const name: [string, string] = ['weights', w.file.split(/[\\/]/).pop() ?? ''];
  return w.sha256 ? [name, ['weights_sha256', w.sha256]] : [name];
}

export function buildModel(spec: ModelSpec, options: BuildOptions = {}): { built?: Built; diagnostics: Diagnostic[] } {
  const { prepared, diagnostics } = prepare(spec, options);
  if (!prepared) return { diagnostics };
  return { built: { ...prepared, emitted: emitPrepared(prepared) }, diagnostics };
}
