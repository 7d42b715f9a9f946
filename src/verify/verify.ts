// Verifying one model: compile it, run it in onnxruntime, check it against the spec's closed form
// and against the paper it claims to be.
//
//   1. prepare (lower, seeded weights, optimize) once
//   2. recount parameters from the unoptimized emission (passes fold BatchNorms into convs, which
//      changes what is stored, not what the model is)
//   3. run the optimized verification build (each Table 1 stage also an output) on a batch of 2
//      seeded N(0, 1) images, on the provider asked for; on a GPU, run it on the CPU too
//   4. checks (checks.ts): output shape, finite, softmax rows, stage shapes, params, paper claim
import type { ModelSpec } from '../check/spec.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { emitPrepared, prepare, stagedGraph, type BuildOptions, type Prepared } from '../emit/build.js';
import type { Emitted } from '../emit/onnx.js';
import { Rng } from '../ir/weights.js';
import { createSession, runFloat, type Ep, type EpChoice, type EpFailure, type OutputTensor } from '../runtime/session.js';
import { checkCpuMatch, checkFinite, checkOutput, checkPaper, checkParams, checkSoftmax, checkStages, type Check } from './checks.js';
import { recountParams } from './recount.js';

export const BATCH = 2;

export interface VerifyOptions extends BuildOptions {
  readonly ep?: EpChoice;
  readonly threads?: number;
  /** Seed of the random input images. */
  readonly inputSeed?: number;
  /** Tests only: changes both emitted models (the counted one and the run one) before checking. */
  readonly tamper?: (model: Uint8Array) => Uint8Array;
}

export interface ModelReport {
  readonly model: string;
  readonly claim: string | undefined;
  readonly ep: Ep;
  readonly checks: readonly Check[];
  readonly passed: boolean;
  /** Wall time of this model's verification, in milliseconds. */
  readonly ms: number;
  /** Providers `auto` tried first and could not start. */
  readonly skipped: readonly EpFailure[];
}

export type Verified =
  | { readonly kind: 'report'; readonly report: ModelReport; readonly prepared: Prepared; readonly diagnostics: Diagnostic[] }
  | { readonly kind: 'unavailable'; readonly failure: EpFailure; readonly diagnostics: Diagnostic[] }
  | { readonly kind: 'invalid'; readonly diagnostics: Diagnostic[] };

/** Seeded N(0, 1) input of shape [batch, ...shape]. */
export function randomInput(shape: readonly number[], batch: number, seed: number): Float32Array {
  const rng = new Rng(seed, 'verify.input');
  const data = new Float32Array(batch * shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return data;
}

interface Ran {
  readonly ep: Ep;
  readonly outputs: Map<string, OutputTensor>;
  readonly skipped: readonly EpFailure[];
}

async function runOn(model: Uint8Array, ep: EpChoice, emitted: Emitted, input: Float32Array, dims: number[], options: VerifyOptions, name: string): Promise<Ran | { failure: EpFailure }> {
  const opened = await createSession(model, { ep, name, ...(options.threads ? { threads: options.threads } : {}) });
  if (!opened.ok) return { failure: opened.failure };
  try {
    const outputs = await runFloat(opened.session, emitted.inputName, input, dims);
    return { ep: opened.ep, outputs, skipped: opened.skipped };
  } catch (e) {
    const detail = (e instanceof Error ? e.message : String(e)).trim();
    return { failure: { ep: opened.ep, diagnostic: diagnostic('D0806', undefined, { model: name, ep: opened.ep }), detail } };
  } finally {
    await opened.session.release();
  }
}

export async function verifyModel(spec: ModelSpec, options: VerifyOptions = {}): Promise<Verified> {
  const started = performance.now();
  const { prepared, diagnostics } = prepare(spec, options);
  if (!prepared) return { kind: 'invalid', diagnostics };
  const tamper = options.tamper ?? ((m: Uint8Array) => m);

  const counted = tamper(emitPrepared(prepared, { stageOutputs: false, externalData: false }, prepared.lowered).model);
  const recount = recountParams(counted);

  const emitted = emitPrepared(prepared, { stageOutputs: true, externalData: false, head: 'softmax' }, stagedGraph(prepared));
  const model = tamper(emitted.model);
  const dims = [BATCH, ...prepared.graph.input.shape];
  const input = randomInput(prepared.graph.input.shape, BATCH, options.inputSeed ?? 0);
  const ran = await runOn(model, options.ep ?? 'cpu', emitted, input, dims, options, spec.name);
  if ('failure' in ran) return { kind: 'unavailable', failure: ran.failure, diagnostics };

  let cpu: Ran | undefined;
  if (ran.ep !== 'cpu') {
    const r = await runOn(model, 'cpu', emitted, input, dims, options, spec.name);
    if ('failure' in r) return { kind: 'unavailable', failure: r.failure, diagnostics };
    cpu = r;
  }

  const final = ran.outputs.get(emitted.outputName)!;
  const stages = new Map<string, OutputTensor>();
  for (const [stage, name] of emitted.stageOutputs) {
    const t = ran.outputs.get(name);
    if (t) stages.set(stage, t);
  }
  const checks = [
    checkOutput(final, BATCH, spec),
    checkFinite(ran.outputs),
    checkSoftmax(final, emitted.outputName === 'probabilities'),
    checkStages(stages, spec),
    checkParams(recount, spec),
    checkPaper(spec, recount, stages),
    checkCpuMatch(final, cpu?.outputs.get(emitted.outputName)),
  ];
  const report: ModelReport = {
    model: spec.name,
    claim: spec.claim ? `${spec.claim.relation} "${spec.claim.paper}"` : undefined,
    ep: ran.ep,
    checks,
    passed: checks.every((c) => c.status !== 'fail'),
    ms: performance.now() - started,
    skipped: ran.skipped,
  };
  return { kind: 'report', report, prepared, diagnostics };
}
