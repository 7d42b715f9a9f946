// The public API of densec. No file system, process or console here: the CLI does I/O.
//
//   compile(text, options?)    one model of a spec -> ONNX bytes (+ external data) and diagnostics
//   compileAll(text, options?) every model of a spec
//   drive(text, options)       the driver both use, stopping at analysis, lowering, optimization or emission
//   summarize / planMemory / drawPicture / formatSource / verifyModel   the reports the CLI prints
//   verifyModel(spec, options) run a model in onnxruntime and check it against the paper
//   readWeights(bytes, file)   a safetensors file or an ONNX model's initializers, for `weights`
//   toPytorch(models, source)  lowered models as a PyTorch file (the text), for `densec export`
import { analyze } from './check/analyze.js';
import type { ModelSpec } from './check/spec.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { SourceFile } from './diagnostics/source.js';
import { drive, type DriverOptions } from './driver.js';
import type { Graph } from './ir/graph.js';
import type { PassRecord } from './passes/pipeline.js';

export { SourceFile } from './diagnostics/source.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export type { Span } from './diagnostics/span.js';
export { renderText, toJson, sourcesOf } from './diagnostics/render.js';
export { analyze } from './check/analyze.js';
export type { ModelSpec } from './check/spec.js';
export { lower } from './ir/lower.js';
export { initWeights } from './ir/weights.js';
export { optimize, type OptLevel, type PassRecord } from './passes/pipeline.js';
export { emitOnnx, type EmitOptions } from './emit/onnx.js';
import type { Chunks, ExternalData } from './emit/onnx.js';
export { readModel } from './emit/decode.js';
export type { WeightsOption } from './emit/build.js';
export { readWeights, type WeightsRead } from './weights/read.js';
export { toPytorch, type ExportModel, type ExportSource } from './export/pytorch.js';
export type { NamedTensor, TensorMap } from './weights/tensor.js';
export { defaultOpset, minOpset, maxOpset } from './emit/opset.js';
export { createSession, runFloat, type Ep, type EpChoice } from './runtime/session.js';
export { verifyModel, type ModelReport } from './verify/verify.js';
export { version } from './version.js';
export { drive, checkOptions, selectModels, type DriverOptions, type Driven, type DrivenModel, type Until } from './driver.js';
export type { BuildOptions } from './emit/build.js';
// The reports the CLI prints, as data: inspect's summary, plan's memory plan, graph's pictures,
// fmt's formatter and the closed-form figures verify compares with.
export { summarize, renderSummary, summaryToJson, type Summary, type SummaryOptions } from './ir/summary.js';
export { planMemory, type MemoryPlan, type PlanOptions } from './plan/plan.js';
export { planFigures, type PlanFigures } from './plan/figures.js';
export { planSvg } from './plan/svg.js';
export { draw, formats, type Format } from './graph/draw.js';
export type { Level } from './graph/picture.js';
export { format as formatSource, type Formatted } from './format/format.js';
export { specFigures, type Figures } from './verify/formula.js';
export type { Graph } from './ir/graph.js';

export interface CompileOptions extends Omit<DriverOptions, 'until' | 'one'> {}

export interface CompiledModel {
  readonly name: string;
  readonly spec: ModelSpec;
  /** The model's bytes joined (made when read; write `modelParts` to keep one copy of the weights). */
  readonly model: Uint8Array;
  readonly modelParts: Chunks;
  /** The part of `modelParts` holding the graph's nodes (what `compile` counts ONNX nodes from). */
  readonly nodePart: Uint8Array;
  readonly externalData?: ExternalData;
  /** The emitted (optimized) graph. */
  readonly graph: Graph;
  /** The lowered graph (-O0, with the same weights unless `consumeWeights` was set): what `summarize` reports on. */
  readonly lowered: Graph;
  readonly log: readonly PassRecord[];
}

export interface CompileAllResult {
  readonly models: CompiledModel[];
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

export interface CompileResult {
  readonly model?: Uint8Array;
  readonly externalData?: ExternalData;
  readonly graph?: Graph;
  readonly lowered?: Graph;
  readonly spec?: ModelSpec;
  readonly log: readonly PassRecord[];
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

/** Parses and checks a spec: its valid models, with the diagnostics of the whole file. */
export function analyzeText(text: string, options: Pick<CompileOptions, 'fileName' | 'readFile'> = {}) {
  return analyze(new SourceFile(options.fileName ?? 'input.dense', text), options.readFile ?? (() => undefined));
}

/**
 * Compiles every model of the spec (or only `options.model`). Nothing is emitted when the file
 * or the options have errors.
 */
export function compileAll(text: string, options: CompileOptions = {}): CompileAllResult {
  const driven = drive(text, { ...options, until: 'emitted' });
  const models = driven.models.map((m): CompiledModel => {
    const emitted = m.emitted!;
    return {
      name: m.spec.name,
      spec: m.spec,
      // Joined on demand: writers use `modelParts`, so a large model's weights stay in memory once.
      get model(): Uint8Array {
        return emitted.model;
      },
      modelParts: emitted.modelParts,
      nodePart: emitted.nodePart,
      ...(emitted.externalData ? { externalData: emitted.externalData } : {}),
      graph: m.prepared!.graph,
      lowered: m.prepared!.lowered,
      log: m.prepared!.log,
    };
  });
  return { models, diagnostics: driven.diagnostics, sources: driven.sources };
}

/** Compiles one model: the file's only model, or `options.model`. */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const driven = drive(text, { ...options, one: true, until: 'emitted' });
  const one = driven.models[0];
  if (!one) return { log: [], diagnostics: driven.diagnostics, sources: driven.sources };
  return {
    model: one.emitted!.model,
    ...(one.emitted!.externalData ? { externalData: one.emitted!.externalData } : {}),
    graph: one.prepared!.graph,
    lowered: one.prepared!.lowered,
    spec: one.spec,
    log: one.prepared!.log,
    diagnostics: driven.diagnostics,
    sources: driven.sources,
  };
}
