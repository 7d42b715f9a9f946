// The one driver: spec text and options -> analysis -> model selection -> lowering -> weights ->
// optimization -> emission. The API (index.ts), every CLI command and the bench call it, each
// stopping at the step it needs (`until`). Pure: no I/O; `readFile` is the caller's.
// Phase times are measured here (the bench reports them; nobody else needs to).
import { analyze } from './check/analyze.js';
import type { ReadFile } from './check/load.js';
import type { ModelSpec } from './check/spec.js';
import { append, diagnostic, hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import { SourceFile } from './diagnostics/source.js';
import { emitPrepared, prepare, type BuildOptions, type Prepared } from './emit/build.js';
import type { Emitted } from './emit/onnx.js';
import { defaultOpset, isSupportedOpset, maxOpset, minOpset } from './emit/opset.js';
import { sha256Hex } from './emit/sha256.js';
import type { Graph } from './ir/graph.js';
import { lower } from './ir/lower.js';

/** How far to go: the elaborated models, their lowered graphs, the optimized graphs, ONNX. */
export type Until = 'analysis' | 'lowered' | 'optimized' | 'emitted';

/** Whose words the option diagnostics use: the API's option names or the CLI's flags. */
export type OptionNames = 'api' | 'cli';

export interface DriverOptions extends BuildOptions {
  /** The spec's file name: in diagnostics, for `use` paths, in metadata. Default `input.dense`. */
  readonly fileName?: string;
  /** Reads files named by `use`: the text, undefined when missing, `{ unreadable }` with the reason. Default: no file is readable. */
  readonly readFile?: ReadFile;
  /** Only the model of this name. */
  readonly model?: string;
  /** Exactly one model: the file's only one, or `model` (D0603 otherwise). */
  readonly one?: boolean;
  readonly until?: Until;
  /** A file without models is not an error (verify skips library files). */
  readonly library?: boolean;
  readonly optionNames?: OptionNames;
}

export interface DrivenModel {
  readonly spec: ModelSpec;
  /** From `lowered` on: the lowered graph (with weights from `optimized` on). */
  readonly lowered?: Graph;
  /** From `optimized` on: the lowered and optimized graphs, the pass log. */
  readonly prepared?: Prepared;
  /** At `emitted`. */
  readonly emitted?: Emitted;
}

export interface PhaseTimes {
  analyze: number;
  lower: number;
  weights: number;
  optimize: number;
  emit: number;
}

export interface Driven {
  readonly models: DrivenModel[];
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
  /** Set when nothing was built: `usage` for the options or the model selection, `spec` for the spec. */
  readonly failure?: 'usage' | 'spec';
  /** Milliseconds per phase. */
  readonly times: PhaseTimes;
}

const words = {
  api: { model: 'the `model` option', optLevel: '`optLevel`', dtype: '`dtype`', seed: '`seed`', see: 'see `CompileOptions` in the README' },
  cli: { model: '`--model <name>`', optLevel: '`-O`', dtype: '`--dtype`', seed: '`--seed`', see: 'see `densec compile --help`' },
} as const;

/** Problems with the options themselves (no source span): D06. */
export function checkOptions(options: BuildOptions, names: OptionNames = 'api'): Diagnostic[] {
  const w = words[names];
  const out: Diagnostic[] = [];
  const opset = options.opset ?? defaultOpset;
  if (!isSupportedOpset(opset)) out.push(diagnostic('D0601', undefined, { opset, min: minOpset, max: maxOpset, default: defaultOpset }));
  const level = options.optLevel ?? 2;
  if (![0, 1, 2].includes(level)) out.push(diagnostic('D0607', undefined, { option: w.optLevel, expected: '0, 1 or 2', value: String(level), see: w.see }));
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16') out.push(diagnostic('D0607', undefined, { option: w.dtype, expected: 'float32 or float16', value: String(dtype), see: w.see }));
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    out.push(diagnostic('D0607', undefined, { option: w.seed, expected: 'an integer from 0 to 4294967295', value: String(seed), see: w.see }));
  }
  return out;
}

/**
 * The models a caller works on: the one named `name`, else every model (or, with `one`, the
 * file's only model). No model, an unknown name or an ambiguous choice is a diagnostic.
 */
export function selectModels(
  file: string,
  models: readonly ModelSpec[],
  name: string | undefined,
  options: { one?: boolean; optionNames?: OptionNames } = {},
): { models: readonly ModelSpec[] } | { error: Diagnostic } {
  const names = models.map((m) => `\`${m.name}\``).join(', ');
  if (models.length === 0) return { error: diagnostic('D0602', undefined, { file }) };
  if (name !== undefined) {
    const chosen = models.filter((m) => m.name === name);
    return chosen.length > 0 ? { models: chosen } : { error: diagnostic('D0604', undefined, { name, file, names }) };
  }
  if (options.one && models.length > 1) {
    return { error: diagnostic('D0603', undefined, { file, count: models.length, names, option: words[options.optionNames ?? 'api'].model }) };
  }
  return { models };
}

export function drive(text: string, options: DriverOptions = {}): Driven {
  const fileName = options.fileName ?? 'input.dense';
  const until = options.until ?? 'emitted';
  const times: PhaseTimes = { analyze: 0, lower: 0, weights: 0, optimize: 0, emit: 0 };
  const optionErrors = until === 'analysis' || until === 'lowered' ? [] : checkOptions(options, options.optionNames);
  let t = performance.now();
  const analysis = analyze(new SourceFile(fileName, text), options.readFile ?? (() => undefined));
  times.analyze = performance.now() - t;
  const diagnostics = [...optionErrors, ...analysis.diagnostics];
  const sources = analysis.sources;
  if (hasErrors(analysis.diagnostics)) return { models: [], diagnostics, sources, failure: 'spec', times };
  if (optionErrors.length > 0) return { models: [], diagnostics, sources, failure: 'usage', times };
  const library = options.library && analysis.models.length === 0;
  const selected = library ? { models: [] } : selectModels(fileName, analysis.models, options.model, options);
  if ('error' in selected) return { models: [], diagnostics: [...diagnostics, selected.error], sources, failure: 'usage', times };
  if (until === 'analysis') return { models: selected.models.map((spec) => ({ spec })), diagnostics, sources, times };

  const sourceSha256 = options.sourceSha256 ?? sha256Hex(text);
  const models: DrivenModel[] = [];
  for (const spec of selected.models) {
    t = performance.now();
    if (until === 'lowered') {
      const lowered = lower(spec);
      times.lower += performance.now() - t;
      append(diagnostics, lowered.diagnostics);
      if (lowered.graph && !hasErrors(lowered.diagnostics)) models.push({ spec, lowered: lowered.graph });
      continue;
    }
    const built = prepare(spec, { ...options, sourceName: options.sourceName ?? fileName, sourceSha256 });
    append(diagnostics, built.diagnostics);
    if (!built.prepared) continue;
    times.lower += built.prepared.times.lower;
    times.weights += built.prepared.times.weights;
    times.optimize += built.prepared.times.optimize;
    if (until === 'optimized') {
      models.push({ spec, lowered: built.prepared.lowered, prepared: built.prepared });
      continue;
    }
    t = performance.now();
    const location = options.externalDataLocation ?? `${spec.name}.onnx.data`;
    const emitted = emitPrepared(built.prepared, { externalDataLocation: location });
    times.emit += performance.now() - t;
    if (emitted.externalData && !options.externalData) {
      const size = `${(emitted.externalData.parts.byteLength / 2 ** 30).toFixed(2)} GiB`;
      diagnostics.push(diagnostic('D0606', undefined, { model: spec.name, size, file: location }));
    }
    models.push({ spec, lowered: built.prepared.lowered, prepared: built.prepared, emitted });
  }
  if (hasErrors(diagnostics)) return { models: [], diagnostics, sources, failure: 'spec', times };
  return { models, diagnostics, sources, times };
}
