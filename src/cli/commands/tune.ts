// `densec tune <spec>`: the exact alternative forms of the -O2 graph, measured on this machine in
// the runtime the user runs (onnxruntime on the provider of --ep, or OpenCV DNN through a Python
// with cv2) at the user's batch and thread count, and the fastest one written, with the choice,
// the runtime and its version, and every form's timing in the model's metadata (`tuned_form`,
// `tuned_for`, `tuned_ms`). The forms compute the same function (each pass is exact); only their
// speed and memory differ by runtime, machine and batch:
//   split     dense blocks as a chain of two-input Concats, split bottlenecks and block outputs
//             (the -O2 default)
//   concat    one Concat of all earlier features per dense layer, no splits (--target opencv)
//   mul-add   the split form with each pre-activation BatchNormalization written as Mul + Add
//   no-concat every bottleneck and block output split over all its parts (--concat none): no
//             Concat inside a block, the least activation memory in onnxruntime, slower
// In onnxruntime on the CPU each form's activation peak is measured too (one profiled run, as
// `densec plan` does; `tuned_peak_bytes`), and `--objective memory` writes the form with the
// least peak instead of the fastest.
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
import { activationPeak } from '../../runtime/profile.js';
import { median } from '../../runtime/stats.js';
import { mb } from '../../plan/svg.js';
import { createSession, epChoices, onnxruntimeVersion, runFloat, setProviderProbe, type EpChoice } from '../../runtime/session.js';
import { Exit } from '../exit.js';
import { fail, readSpec, readUse, reportDiagnostics, runtimeUnavailable, terminal, unreadable, writeFileAtomic } from '../io.js';
import { limits } from '../limits.js';
import { probeInChild } from '../probe.js';
import { action, modelOption, reporting, wholeNumber, type Outcome } from '../program.js';

type Runtime = 'onnxruntime' | 'opencv';
type Objective = 'time' | 'memory';

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
  readonly objective: Objective;
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
  { name: 'no-concat', options: { concat: 'none', fusedForm: 'bn' } },
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
    .addOption(new Option('--objective <what>', "write the fastest form, or the one with onnxruntime's least activation peak (CPU)").choices(['time', 'memory']).default('time'))
    .addOption(new Option('--seed <n>', 'seed of the random weights').default(0).argParser(wholeNumber('--seed')))
    .option('--random-bn-stats', 'draw BatchNorm gamma, beta, mean and variance instead of 1, 0, 0, 1')
    .hook('preAction', (c) => {
      const o = c.opts<TuneOptions>();
      if (o.runtime === 'opencv' && o.ep !== undefined) c.error('error: --ep is for --runtime onnxruntime; OpenCV DNN runs on the CPU');
      if (o.runtime !== 'opencv' && o.python !== undefined) c.error('error: --python is for --runtime opencv');
      if (o.objective === 'memory' && (o.runtime === 'opencv' || (o.ep !== undefined && o.ep !== 'cpu')))
        c.error("error: --objective memory measures onnxruntime's activation peak on the CPU: it needs --runtime onnxruntime and --ep cpu (the default)");
    });
  reporting(cmd).action(action(outcome, (spec: string, options: TuneOptions) => tune(spec, options)));
}

const warmup = 3;

/** The form to write: the fastest, or the least peak when peaks are given (the faster of equals). */
export function chooseForm(medians: readonly number[], peaks?: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < medians.length; i++) {
    const better = peaks ? peaks[i] < peaks[best] || (peaks[i] === peaks[best] && medians[i] < medians[best]) : medians[i] < medians[best];
    if (better) best = i;
  }
  return best;
}

/** What a runtime measured: per form, ms per round; or why it could not. */
type Timed =
  | { readonly ok: true; readonly runtime: string; readonly ep: string; readonly times: readonly (readonly number[])[] }
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
    return { ok: true, runtime: `onnxruntime ${onnxruntimeVersion()} ${ran}`, ep: ran, times };
  } finally {
    for (const s of sessions) await s.release();
  }
}

function timeInOpenCv(files: readonly string[], dims: readonly number[], options: TuneOptions): Timed {
  const python = options.python ?? defaultPython;
  const r = timeOpenCv(python, files, forms.map((f) => f.name), dims, options.threads, options.runs, warmup);
  if (!r.ok) return { ok: false, diagnostic: r.failure.diagnostic, detail: r.failure.detail, said: r.failure.said };
  return { ok: true, runtime: `OpenCV ${r.version} DNN cpu`, ep: 'cpu', times: r.times };
}

/** Each form's activation peak in onnxruntime on the CPU (bytes), or why one could not be had. */
async function peaksOf(models: readonly CompiledModel[], files: readonly string[] | undefined, dims: readonly number[], threads: number): Promise<number[] | { skipped: string }> {
  const peaks: number[] = [];
  for (const [i, m] of models.entries()) {
    const p = await activationPeak(files?.[i] ?? m.model, dims, threads);
    if ('skipped' in p) return { skipped: `${forms[i].name}: ${p.skipped}` };
    peaks.push(p.bytes);
  }
  return peaks;
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
  let peaks: number[] | { skipped: string } | undefined;
  try {
    const files = dir ? writeForms(dir, candidates) : undefined;
    timed = files && options.runtime === 'opencv' ? timeInOpenCv(files, dims, options) : await timeOnnxruntime(candidates, files, dims, options);
    if (timed.ok && options.runtime === 'onnxruntime' && timed.ep === 'cpu') peaks = await peaksOf(candidates, files, dims, options.threads);
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!timed.ok) return runtimeUnavailable(term, timed.diagnostic, timed.detail, timed.said);
  const measured = Array.isArray(peaks) ? peaks : undefined;
  const unmeasured = peaks !== undefined && !Array.isArray(peaks) ? peaks.skipped : undefined;
  if (options.objective === 'memory' && !measured) {
    return runtimeUnavailable(term, diagnostic('D0809', undefined, { model: candidates[0].name }), unmeasured ?? `it ran on ${timed.ep}`, 'onnxruntime');
  }
  const medians = timed.times.map(median);
  const best = chooseForm(medians, options.objective === 'memory' ? measured : undefined);
  const timings = forms.map((f, i) => `${f.name} ${medians[i].toFixed(3)}`).join(', ');
  const chosen = compileAll(text, {
    ...base,
    ...forms[best].options,
    extraMetadata: [
      ['tuned_form', forms[best].name],
      ['tuned_objective', options.objective === 'memory' ? "least activation peak in onnxruntime's CPU profile" : 'least median time'],
      ['tuned_for', `${timed.runtime}, batch ${options.batch}, ${options.threads} thread(s), median of ${options.runs} alternating rounds`],
      ['tuned_ms', timings],
      ...(measured ? [['tuned_peak_bytes', forms.map((f, i) => `${f.name} ${measured[i]}`).join(', ')] as [string, string]] : []),
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
    const result = { model: chosen.name, path: target, runtime: timed.runtime, batch: options.batch, threads: options.threads, runs: options.runs, objective: options.objective, chosen: forms[best].name };
    const each = forms.map((f, i) => ({ name: f.name, medianMs: medians[i], ...(measured ? { peakBytes: measured[i] } : {}) }));
    term.out(JSON.stringify({ ...result, forms: each, ...(unmeasured ? { peaksSkipped: unmeasured } : {}), diagnostics: toJson(warnings, sources) }, null, 2));
    return Exit.ok;
  }
  reportDiagnostics(term, warnings, sources);
  const fastest = Math.min(...medians);
  for (const [i, f] of forms.entries()) {
    const peak = measured ? `  activation peak ${mb(measured[i]).padStart(10)}` : '';
    term.out(`  ${i === best ? '*' : ' '} ${f.name.padEnd(9)} ${medians[i].toFixed(2).padStart(9)} ms  (${(medians[i] / fastest).toFixed(3)}x the fastest)${peak}`);
  }
  if (unmeasured) term.out(`  (no activation peaks: ${unmeasured})`);
  const why = options.objective === 'memory' ? `least activation peak in ${timed.runtime}` : `fastest in ${timed.runtime}`;
  term.out(`wrote ${target} (form ${forms[best].name}, ${why}; recorded in its metadata)`);
  return Exit.ok;
}
