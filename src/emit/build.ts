// From an elaborated model to ONNX bytes: lower, import trained weights (if given), attach seeded
// weights to whatever is left, optimize, emit. Imported BatchNorm statistics are in the graph
// before the passes run, so the folds see them exactly as they see seeded ones.
// Pure (no I/O); the public API (index.ts) and the verifier share it. `prepare` does the work
// up to the optimized graph once; `emitPrepared` writes it in any form (the verifier emits the
// lowered graph, the optimized one, and the optimized one with stage outputs).
import type { ModelSpec } from '../check/spec.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { append, hasErrors } from '../diagnostics/diagnostic.js';
import type { Graph } from '../ir/graph.js';
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
}

export interface Prepared {
  readonly spec: ModelSpec;
  readonly options: BuildOptions;
  /** The lowered graph, before optimization, with weights. */
  readonly lowered: Graph;
  /** The optimized graph (sharing weight tensors with `lowered`). */
  readonly graph: Graph;
  readonly log: PassRecord[];
}

export interface Built extends Prepared {
  readonly emitted: Emitted;
}

export function prepare(spec: ModelSpec, options: BuildOptions = {}): { prepared?: Prepared; diagnostics: Diagnostic[] } {
  const { graph: lowered, diagnostics } = lower(spec);
  if (!lowered || hasErrors(diagnostics)) return { diagnostics };
  if (options.weights) {
    const imported = importWeights(lowered, options.weights.tensors, options.weights.file);
    append(diagnostics, imported.diagnostics);
    if (!imported.ok) return { diagnostics };
  }
  initWeights(lowered, { seed: options.seed ?? 0, randomBnStats: options.randomBnStats ?? false });
  const { graph, log } = optimize(lowered, options.optLevel ?? 2, optimizeOptions(options));
  return { prepared: { spec, options, lowered, graph, log }, diagnostics };
}

function optimizeOptions(o: BuildOptions): OptimizeOptions {
  return { ...(o.concat ? { concat: o.concat } : {}), keepStageOutputs: o.stageOutputs ?? false };
}

/**
 * Emits the optimized graph (or, with `unoptimized`, the lowered one) with `overrides` applied.
 * Stage outputs asked of a graph prepared without them: the optimization runs again keeping
 * every stage's output value (split-block-output would have removed the dense blocks' outputs).
 */
export function emitPrepared(p: Prepared, overrides: BuildOptions = {}, unoptimized = false): Emitted {
  const o = { ...p.options, ...overrides };
  const optLevel = unoptimized ? 0 : (p.options.optLevel ?? 2);
  const opset = o.opset ?? defaultOpset;
  const seed = o.seed ?? 0;
  const reoptimize = !unoptimized && (o.stageOutputs ?? false) && !(p.options.stageOutputs ?? false);
  const graph = unoptimized ? p.lowered : reoptimize ? optimize(p.lowered, optLevel, optimizeOptions(o)).graph : p.graph;
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
