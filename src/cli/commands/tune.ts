// `densec tune <spec>`: the exact alternative forms of the -O2 graph, measured on this machine in
// the runtime the user runs (onnxruntime on the provider of --ep, or OpenCV DNN through a Python
// with cv2) at the user's batch and thread count, and the fastest one written, with the choice,
// the runtime and its version, and every form's timing in the model's metadata (`tuned_form`,
// `tuned_for`, `tuned_ms`). The forms compute the same function (each pass is exact); only their
// speed differs by runtime, machine and batch:
//   split     dense blocks as a chain of two-input Concats, split bottlenecks and block outputs
//             (the -O2 default)
//   concat    one Concat of all earlier features per dense layer, no splits (--target opencv)
//   mul-add   the split form with each pre-activation BatchNormalization written as Mul + Add
// Timing alternates: each round runs every form once, rotating which goes first, after warm-up
// rounds, so that load from other processes falls on all of them alike; the median wins.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { sourcesOf, toJson } from '../../diagnostics/render.js';
import { compileAll, type CompiledModel } from '../../index.js';
import type { BuildOptions } from '../../emit/build.js';
import { elementCount } from '../../ir/graph.js';
import { Rng } from '../../ir/weights.js';
import { timeOpenCv } from '../../runtime/opencv.js';
import { createSession, epChoices, onnxruntimeVersion, runFloat, setProviderProbe, type EpChoice } from '../../runtime/session.js';
import { Exit } from '../exit.js';
import { fail, readSpec, readUse, reportDiagnostics, runtimeUnavailable, terminal, unreadable, writeFileAtomic } from '../io.js';
import { limits } from '../limits.js';
import { probeInChild } from '../probe.js';
import { action, modelOption, reporting, wholeNumber, type Outcome } from '../program.js';

type Runtime = 'onnxruntime' | 'opencv';

interface TuneOptions {
  readonly output?: string;
  readonly outDir: string;
  readonly model?: string;
  readonly runtime: Runtime;
  readonly ep?: EpChoice;
  readonly python?: string;
  readonly batch: number;
  readonly threads: number;
  readonly runs: number;
  readonly seed: number;
  readonly randomBnStats?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

export interface Form {
  readonly name: string;
  readonly options: Pick<BuildOptions, 'concat' | 'fusedForm'>;
}

export const forms: readonly Form[] = [
  { name: 'split', options: { concat: 'chain', fusedForm: 'bn' } },
  { name: 'concat', options: { concat: 'all', fusedForm: 'bn' } },
  { name: 'mul-add', options: { concat: 'chain', fusedForm: 'affine' } },
];

const defaultPython = 'python3';

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('tune')
    .description('measure the exact alternative forms in onnxruntime or OpenCV on this machine and write the fastest')
    .argument('<spec>', 'a .dense file with one model, or --model')
    .option('-o, --output <file>', 'the .onnx file to write')
    .option('--out-dir <dir>', 'where to write <model>.onnx without -o', 'out')
    .addOption(modelOption('the only model in the file'))
    .addOption(new Option('--runtime <name>', 'the runtime to measure in').choices(['onnxruntime', 'opencv']).default('onnxruntime'))
    .addOption(new Option('--ep <provider>', 'onnxruntime execution provider (default cpu; auto: cuda, then webgpu, then cpu)').choices([...epChoices]))
    .addOption(new Option('--python <exe>', `the Python that imports cv2, for --runtime opencv (default ${defaultPython})`))
    .addOption(new Option('--batch <n>', 'batch size to measure at').default(1).argParser(wholeNumber('--batch', 1, limits.batch)))
    .addOption(new Option('--threads <n>', 'intra-op threads of the runtime').default(1).argParser(wholeNumber('--threads', 1, limits.threads)))
    .addOption(new Option('--runs <n>', 'measured rounds (each runs every form once)').default(20).argParser(wholeNumber('--runs', 3)))
    .addOption(new Option('--seed <n>', 'seed of the random weights').default(0).argParser(wholeNumber('--seed')))
    .option('--random-bn-stats', 'draw BatchNorm gamma, beta, mean and variance instead of 1, 0, 0, 1')
    .hook('preAction', (c) => {
      const o = c.opts<TuneOptions>();
      if (o.runtime === 'opencv' && o.ep !== undefined) c.error('error: --ep is for --runtime onnxruntime; OpenCV DNN runs on the CPU');
      if (o.runtime !== 'opencv' && o.python !== undefined) c.error('error: --python is for --runtime opencv');
    });
  reporting(cmd).action(action(outcome, (spec: string, options: TuneOptions) => tune(spec, options)));
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const warmup = 3;

/** What a runtime measured: per form, ms per round; or why it could not. */
type Timed =
  | { readonly ok: true; readonly runtime: string; readonly times: readonly (readonly number[])[] }
  | { readonly ok: false; readonly diagnostic: Diagnostic; readonly detail: string; readonly said: string };

/** Each form's milliseconds per round in onnxruntime, alternating. */
async function timeOnnxruntime(models: readonly CompiledModel[], files: readonly string[] | undefined, dims: readonly number[], options: TuneOptions): Promise<Timed> {
  setProviderProbe(probeInChild);
  const sessions = [];
  let ran = 'cpu';
  try {
    for (const [i, m] of models.entries()) {
      // A model with external data loads from its file, which onnxruntime resolves the data beside.
      const opened = await createSession(files?.[i] ?? m.model, { ep: options.ep ?? 'cpu', threads: options.threads, name: forms[i].name });
      if (!opened.ok) return { ok: false, diagnostic: opened.failure.diagnostic, detail: opened.failure.detail, said: 'onnxruntime' };
      sessions.push(opened.session);
      ran = opened.ep;
    }
    const rng = new Rng(1, 'tune input');
    const input = new Float32Array(elementCount(dims));
    rng.fillRange(input, -1, 1);
    const times: number[][] = models.map(() => []);
    for (let r = -warmup; r < options.runs; r++) {
      for (let j = 0; j < sessions.length; j++) {
        const i = (((r % sessions.length) + sessions.length + j) % sessions.length);
        const t = performance.now();
        try {
          await runFloat(sessions[i], 'image', input, dims);
        } catch (e) {
          return { ok: false, diagnostic: diagnostic('D0806', undefined, { model: forms[i].name, ep: ran }), detail: (e as Error).message, said: 'onnxruntime' };
        }
        if (r >= 0) times[i].push(performance.now() - t);
      }
    }
    return { ok: true, runtime: `onnxruntime ${onnxruntimeVersion()} ${ran}`, times };
  } finally {
    for (const s of sessions) await s.release();
  }
}

function timeInOpenCv(files: readonly string[], dims: readonly number[], options: TuneOptions): Timed {
  const python = options.python ?? defaultPython;
  const r = timeOpenCv(python, files, forms.map((f) => f.name), dims, options.threads, options.runs, warmup);
  if (!r.ok) return { ok: false, diagnostic: r.failure.diagnostic, detail: r.failure.detail, said: r.failure.said };
  return { ok: true, runtime: `OpenCV ${r.version} DNN cpu`, times: r.times };
}

/** Writes each form into `dir` (OpenCV reads files; onnxruntime needs one for external data). */
function writeForms(dir: string, models: readonly CompiledModel[]): string[] {
  return models.map((m, i) => {
    const file = path.join(dir, `${forms[i].name}.onnx`);
    if (m.externalData) writeFileAtomic(path.join(dir, m.externalData.location), m.externalData.parts);
    writeFileAtomic(file, m.modelParts);
    return file;
  });
}

async function tune(file: string, options: TuneOptions): Promise<number> {
  const term = terminal(options);
  const text = readSpec(file);
  if (typeof text !== 'string') return fail(term, [unreadable(file, text.unreadable)], () => undefined, Exit.input);
  const base = {
    fileName: file,
    readFile: readUse,
    ...(options.model !== undefined ? { model: options.model } : {}),
    seed: options.seed,
    randomBnStats: options.randomBnStats ?? false,
  };
  const built = forms.map((f) => compileAll(text, { ...base, ...f.options }));
  const first = built[0];
  const sources = sourcesOf(first.sources);
  if (hasErrors(first.diagnostics)) return fail(term, first.diagnostics, sources, Exit.spec);
  if (first.models.length !== 1) return fail(term, [diagnostic('D0608', undefined, { file, count: first.models.length })], sources, Exit.usage);
  const candidates = built.map((b) => b.models[0]);
  const dims = [options.batch, ...candidates[0].graph.input.shape];

  if (!term.quiet && !term.json) term.err(`tuning ${candidates[0].name} in ${options.runtime}: ${forms.length} forms, batch ${options.batch}, ${options.threads} thread(s), ${options.runs} rounds`);
  const onDisk = options.runtime === 'opencv' || candidates.some((c) => c.externalData);
  const dir = onDisk ? fs.mkdtempSync(path.join(os.tmpdir(), 'densec-tune-')) : undefined;
  let timed: Timed;
  try {
    const files = dir ? writeForms(dir, candidates) : undefined;
    timed = files && options.runtime === 'opencv' ? timeInOpenCv(files, dims, options) : await timeOnnxruntime(candidates, files, dims, options);
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!timed.ok) return runtimeUnavailable(term, timed.diagnostic, timed.detail, timed.said);
  const medians = timed.times.map(median);
  const best = medians.indexOf(Math.min(...medians));
  const timings = forms.map((f, i) => `${f.name} ${medians[i].toFixed(3)}`).join(', ');
  const chosen = compileAll(text, {
    ...base,
    ...forms[best].options,
    extraMetadata: [
      ['tuned_form', forms[best].name],
      ['tuned_for', `${timed.runtime}, batch ${options.batch}, ${options.threads} thread(s), median of ${options.runs} alternating rounds`],
      ['tuned_ms', timings],
    ],
  }).models[0];
  const target = options.output ?? path.join(options.outDir, `${chosen.name}.onnx`);
  try {
    if (chosen.externalData) writeFileAtomic(path.join(path.dirname(target), chosen.externalData.location), chosen.externalData.parts);
    writeFileAtomic(target, chosen.modelParts);
  } catch (e) {
    return fail(term, [diagnostic('D0609', undefined, { path: target, reason: (e as Error).message })], sources, Exit.usage);
  }
  const warnings = term.quiet ? [] : sortDiagnostics(first.diagnostics);
  if (term.json) {
    const result = { model: chosen.name, path: target, runtime: timed.runtime, batch: options.batch, threads: options.threads, runs: options.runs, chosen: forms[best].name };
    term.out(JSON.stringify({ ...result, forms: forms.map((f, i) => ({ name: f.name, medianMs: medians[i] })), diagnostics: toJson(warnings, sources) }, null, 2));
    return Exit.ok;
  }
  reportDiagnostics(term, warnings, sources);
  for (const [i, f] of forms.entries()) term.out(`  ${i === best ? '*' : ' '} ${f.name.padEnd(8)} ${medians[i].toFixed(2).padStart(9)} ms  (${(medians[i] / medians[best]).toFixed(3)}x the fastest)`);
  term.out(`wrote ${target} (form ${forms[best].name}, fastest in ${timed.runtime}; recorded in its metadata)`);
  return Exit.ok;
}
