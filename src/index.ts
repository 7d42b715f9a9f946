// The public API of densec. No file system, process or console here: the CLI does I/O.
//
//   compile(text, options)     one model of a spec -> ONNX bytes (+ external data) and diagnostics
//   compileAll(text, options)  every model of a spec
//   verifyModel(spec, options) run a model in onnxruntime and check it against the paper
//   readWeights(bytes, file)   a safetensors file or an ONNX model's initializers, for `weights`
import { analyze } from './check/analyze.js';
import type { ReadFile } from './check/load.js';
import type { ModelSpec } from './check/spec.js';
import { append, diagnostic, hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import { SourceFile } from './diagnostics/source.js';
import { emitPrepared, prepare, type BuildOptions } from './emit/build.js';
import { defaultOpset, isSupportedOpset, maxOpset, minOpset } from './emit/opset.js';
import { sha256Hex } from './emit/sha256.js';
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
export { readModel } from './emit/decode.js';
export type { WeightsOption } from './emit/build.js';
export { readWeights, type WeightsRead } from './weights/read.js';
export type { NamedTensor, TensorMap } from './weights/tensor.js';
export { defaultOpset, minOpset, maxOpset } from './emit/opset.js';
export { createSession, runFloat, type Ep, type EpChoice } from './runtime/session.js';
export { verifyModel, type ModelReport } from './verify/verify.js';
export { version } from './version.js';

export interface CompileOptions extends BuildOptions {
  /** The spec's file name: in diagnostics, for `use` paths, and (its last segment) in metadata. */
  readonly fileName: string;
  /** Reads files named by `use` (paths as the front end resolves them); undefined when unreadable. */
  readonly readFile: ReadFile;
  /** Which model of the file; required when it declares more than one (for `compile`). */
  readonly model?: string;
}

export interface CompiledModel {
  readonly name: string;
  readonly spec: ModelSpec;
  readonly model: Uint8Array;
  readonly externalData?: { readonly location: string; readonly bytes: Uint8Array };
  /** The emitted (optimized) graph. */
  readonly graph: Graph;
  readonly log: readonly PassRecord[];
}

export interface CompileAllResult {
  readonly models: CompiledModel[];
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

export interface CompileResult {
  readonly model?: Uint8Array;
  readonly externalData?: { readonly location: string; readonly bytes: Uint8Array };
  readonly graph?: Graph;
  readonly spec?: ModelSpec;
  readonly log: readonly PassRecord[];
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

/** Problems with the options themselves (no source span): D06. */
export function checkOptions(options: BuildOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const opset = options.opset ?? defaultOpset;
  if (!isSupportedOpset(opset)) out.push(diagnostic('D0601', undefined, { opset, min: minOpset, max: maxOpset, default: defaultOpset }));
  const level = options.optLevel ?? 2;
  if (![0, 1, 2].includes(level)) out.push(diagnostic('D0607', undefined, { option: '-O', expected: '0, 1 or 2', value: String(level) }));
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16') out.push(diagnostic('D0607', undefined, { option: '--dtype', expected: 'float32 or float16', value: String(dtype) }));
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    out.push(diagnostic('D0607', undefined, { option: '--seed', expected: 'an integer from 0 to 4294967295', value: String(seed) }));
  }
  return out;
}

/** Parses and checks a spec: its valid models, with the diagnostics of the whole file. */
export function analyzeText(text: string, options: Pick<CompileOptions, 'fileName' | 'readFile'>) {
  return analyze(new SourceFile(options.fileName, text), options.readFile);
}

/**
 * Compiles every model of the spec (or only `options.model`). Nothing is emitted when the file
 * or the options have errors.
 */
export function compileAll(text: string, options: CompileOptions): CompileAllResult {
  const optionErrors = checkOptions(options);
  const analysis = analyzeText(text, options);
  const diagnostics = [...optionErrors, ...analysis.diagnostics];
  const sources = analysis.sources;
  if (hasErrors(diagnostics)) return { models: [], diagnostics, sources };

  let specs = analysis.models;
  const names = specs.map((m) => `\`${m.name}\``).join(', ');
  if (specs.length === 0) return { models: [], diagnostics: [...diagnostics, diagnostic('D0602', undefined, { file: options.fileName })], sources };
  if (options.model !== undefined) {
    specs = specs.filter((m) => m.name === options.model);
    if (specs.length === 0) return { models: [], diagnostics: [...diagnostics, diagnostic('D0604', undefined, { name: options.model, file: options.fileName, names })], sources };
  }

  const sourceSha256 = options.sourceSha256 ?? sha256Hex(text);
  const models: CompiledModel[] = [];
  for (const spec of specs) {
    const built = prepare(spec, { ...options, sourceName: options.sourceName ?? options.fileName, sourceSha256 });
    append(diagnostics, built.diagnostics);
    if (!built.prepared) continue;
    const location = options.externalDataLocation ?? `${spec.name}.onnx.data`;
    const emitted = emitPrepared(built.prepared, { externalDataLocation: location });
    if (emitted.externalData && !options.externalData) {
      const size = `${(emitted.externalData.bytes.length / 2 ** 30).toFixed(2)} GiB`;
      diagnostics.push(diagnostic('D0606', undefined, { model: spec.name, size, file: location }));
    }
    models.push({
      name: spec.name,
      spec,
      model: emitted.model,
      ...(emitted.externalData ? { externalData: emitted.externalData } : {}),
      graph: built.prepared.graph,
      log: built.prepared.log,
    });
  }
  return { models: hasErrors(diagnostics) ? [] : models, diagnostics, sources };
}

/** Compiles one model: the file's only model, or `options.model`. */
export function compile(text: string, options: CompileOptions): CompileResult {
  if (options.model === undefined) {
    const analysis = analyzeText(text, options);
    if (!hasErrors(analysis.diagnostics) && analysis.models.length > 1) {
      const names = analysis.models.map((m) => `\`${m.name}\``).join(', ');
      const d = diagnostic('D0603', undefined, { file: options.fileName, count: analysis.models.length, names });
      return { log: [], diagnostics: [...analysis.diagnostics, d], sources: analysis.sources };
    }
  }
  const all = compileAll(text, options);
  const one = all.models[0];
  if (!one) return { log: [], diagnostics: all.diagnostics, sources: all.sources };
  return {
    model: one.model,
    ...(one.externalData ? { externalData: one.externalData } : {}),
    graph: one.graph,
    spec: one.spec,
    log: one.log,
    diagnostics: all.diagnostics,
    sources: all.sources,
  };
}
