// onnxruntime-node sessions and execution-provider selection.
//
//   cpu     always there (bundled with onnxruntime-node for linux x64)
//   webgpu  bundled (Dawn over Vulkan); needs a GPU with a Vulkan driver
//   cuda    not bundled: its provider libraries come from `ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci`
//   auto    cuda, then webgpu, then cpu: the first that starts; the others' failures are kept
//
// A provider that cannot start is a D08 diagnostic saying why in words and what to do, with
// onnxruntime's own message kept as a detail line (never shown alone). Sessions are created with
// the one provider asked for, so "which EP ran" is the one whose session started; nodes that
// provider lacks still fall back to onnxruntime's CPU kernels, as onnxruntime always does.
import { createRequire } from 'node:module';
import type ort from 'onnxruntime-node';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export type Ep = 'cpu' | 'webgpu' | 'cuda';
export type EpChoice = Ep | 'auto';
export const epChoices: readonly EpChoice[] = ['cpu', 'webgpu', 'cuda', 'auto'];

export interface SessionOptions {
  readonly ep?: EpChoice;
  /** Intra-op threads; onnxruntime's default (all cores) when absent. */
  readonly threads?: number;
  /** The model's name, for messages. */
  readonly name?: string;
}

/** Why a provider did not start: a diagnostic for people and onnxruntime's own words. */
export interface EpFailure {
  readonly ep: Ep;
  readonly diagnostic: Diagnostic;
  readonly detail: string;
}

export type Opened =
  | { readonly ok: true; readonly session: ort.InferenceSession; readonly ep: Ep; readonly skipped: readonly EpFailure[] }
  | { readonly ok: false; readonly failure: EpFailure; readonly skipped: readonly EpFailure[] };

const autoOrder: readonly Ep[] = ['cuda', 'webgpu', 'cpu'];

const requireCjs = createRequire(import.meta.url);
let loaded: typeof ort | undefined;

/**
 * onnxruntime-node (CommonJS), loaded on first use: its native addon takes a good part of a
 * second to load, which commands that never run a model (inspect, compile, fmt) should not pay.
 */
function onnxruntime(): typeof ort {
  if (!loaded) {
    loaded = requireCjs('onnxruntime-node') as typeof ort;
    // onnxruntime logs a provider that fails to load on stderr by itself; densec reports it in
    // words (with onnxruntime's message as the detail), so only fatal errors are left to its logger.
    loaded.env.logLevel = 'fatal';
  }
  return loaded;
}

/** onnxruntime's version, as its native library reports it ("1.30.0"). */
export function onnxruntimeVersion(): string {
  return onnxruntime().env.versions.common;
}

/** Whether onnxruntime-node's install carries a provider (cuda is not bundled by default). */
export function providerInstalled(ep: Ep): boolean {
  const backends = onnxruntime().listSupportedBackends();
  return backends.some((b) => b.name === ep && b.bundled) || ep === 'cpu';
}

function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).trim();
}

/** Puts onnxruntime's message for a provider that did not start into words. */
export function classifyEpError(ep: Ep, detail: string, model: string): EpFailure {
  const d = (code: Parameters<typeof diagnostic>[0]) => ({ ep, diagnostic: diagnostic(code, undefined, { model, ep }), detail });
  if (ep === 'cuda') {
    const missing = /failed to load library|cannot open shared object|libonnxruntime_providers_(cuda|shared)|not (built|compiled|enabled)|unsupported|not supported/i;
    return d(missing.test(detail) || !providerInstalled('cuda') ? 'D0802' : 'D0803');
  }
  if (ep === 'webgpu') return d(/adapter/i.test(detail) ? 'D0801' : 'D0804');
  const opset = /Opset (\d+) is under development.*?till opset (\d+)/s.exec(detail);
  if (opset) return { ep, diagnostic: diagnostic('D0634', undefined, { model, opset: opset[1], max: opset[2] }), detail };
  return d('D0805');
}

async function tryCreate(model: Uint8Array | string, ep: Ep, options: SessionOptions): Promise<{ session: ort.InferenceSession } | { failure: EpFailure }> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [ep],
    graphOptimizationLevel: 'all',
    // 4 (fatal only): at 3, a kernel that fails logs its own line (sequential_executor.cc) before
    // densec's diagnostic, which carries the same message as its detail.
    logSeverityLevel: 4,
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  };
  const ort = onnxruntime();
  try {
    const session = typeof model === 'string' ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
    return { session };
  } catch (e) {
    return { failure: classifyEpError(ep, messageOf(e), options.name ?? 'model') };
  }
}

/**
 * A check run before a provider is initialised in this process (the CLI probes WebGPU in a child
 * process, whose stderr catches Dawn's native warnings); undefined lets it be tried here.
 */
let probe: (ep: Ep) => string | undefined = () => undefined;

/** `p` returns why `ep` cannot start (onnxruntime's words), or undefined to try it here. */
export function setProviderProbe(p: (ep: Ep) => string | undefined): void {
  probe = p;
}

/**
 * Opens a session for `model` (ONNX bytes, or a file path: needed when the model has external
 * data, which onnxruntime resolves relative to the file) on the provider asked for.
 */
export async function createSession(model: Uint8Array | string, options: SessionOptions = {}): Promise<Opened> {
  const choice = options.ep ?? 'cpu';
  const order = choice === 'auto' ? autoOrder : [choice];
  const skipped: EpFailure[] = [];
  for (const ep of order) {
    const refused = probe(ep);
    const r = refused !== undefined ? { failure: classifyEpError(ep, refused, options.name ?? 'model') } : await tryCreate(model, ep, options);
    if ('session' in r) return { ok: true, session: r.session, ep, skipped };
    if (choice !== 'auto' || ep === 'cpu') return { ok: false, failure: r.failure, skipped };
    skipped.push(r.failure);
  }
  throw new Error('unreachable: cpu ends the auto order');
}

export interface OutputTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** Runs one float32 input through the session; every output, by name. */
export async function runFloat(
  session: ort.InferenceSession,
  inputName: string,
  data: Float32Array,
  dims: readonly number[],
): Promise<Map<string, OutputTensor>> {
  const results = await session.run({ [inputName]: new (onnxruntime().Tensor)('float32', data, dims) }, { logSeverityLevel: 4 });
  const out = new Map<string, OutputTensor>();
  for (const name of session.outputNames) {
    const t = results[name] as ort.Tensor;
    out.set(name, { dims: [...t.dims], data: t.data as Float32Array });
  }
  return out;
}
