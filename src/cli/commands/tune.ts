// `densec tune <spec>`: the exact alternative forms of the -O2 graph, measured on this machine in
// onnxruntime CPU at the user's batch and thread count, and the fastest one written, with the
// choice and every form's timing in the model's metadata (`tuned_form`, `tuned_for`,
// `tuned_ms`). The forms compute the same function (each pass is exact); only their speed differs
// by runtime, machine and batch:
//   split     dense blocks as a chain of two-input Concats, split bottlenecks and block outputs
//             (the -O2 default)
//   concat    one Concat of all earlier features per dense layer, no splits
//   mul-add   the split form with each pre-activation BatchNormalization written as Mul + Add
// Timing alternates: each round runs every form once, rotating which goes first, after warm-up
// rounds, so that load from other processes falls on all of them alike; the median wins.
import path from 'node:path';
import { Command, Option } from 'commander';
import { diagnostic, hasErrors, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { sourcesOf, toJson } from '../../diagnostics/render.js';
import { compileAll, type CompiledModel } from '../../index.js';
import type { BuildOptions } from '../../emit/build.js';
import { elementCount } from '../../ir/graph.js';
import { Rng } from '../../ir/weights.js';
import { createSession, runFloat } from '../../runtime/session.js';
import { Exit } from '../exit.js';
import { fail, readSpec, readUse, reportDiagnostics, terminal, unreadable, writeFileAtomic } from '../io.js';
import { limits } from '../limits.js';
import { action, modelOption, reporting, wholeNumber, type Outcome } from '../program.js';

interface TuneOptions {
  readonly output?: string;
  readonly outDir: string;
  readonly model?: string;
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

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('tune')
    .description('measure the exact alternative forms in onnxruntime on this machine and write the fastest')
    .argument('<spec>', 'a .dense file with one model, or --model')
    .option('-o, --output <file>', 'the .onnx file to write')
    .option('--out-dir <dir>', 'where to write <model>.onnx without -o', 'out')
    .addOption(modelOption('the only model in the file'))
    .addOption(new Option('--batch <n>', 'batch size to measure at').default(1).argParser(wholeNumber('--batch', 1, limits.batch)))
    .addOption(new Option('--threads <n>', 'onnxruntime intra-op threads').default(1).argParser(wholeNumber('--threads', 1, limits.threads)))
    .addOption(new Option('--runs <n>', 'measured rounds (each runs every form once)').default(20).argParser(wholeNumber('--runs', 3)))
    .addOption(new Option('--seed <n>', 'seed of the random weights').default(0).argParser(wholeNumber('--seed')))
    .option('--random-bn-stats', 'draw BatchNorm gamma, beta, mean and variance instead of 1, 0, 0, 1');
  reporting(cmd).action(action(outcome, (spec: string, options: TuneOptions) => tune(spec, options)));
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Each form's milliseconds per round, alternating; undefined when onnxruntime cannot start. */
async function timeForms(models: readonly CompiledModel[], dims: readonly number[], threads: number, runs: number): Promise<number[][] | string> {
  const sessions = [];
  for (const m of models) {
    const opened = await createSession(m.model, { ep: 'cpu', threads, name: m.name });
    if (!opened.ok) return `${opened.failure.diagnostic.message}: ${opened.failure.detail}`;
    sessions.push(opened.session);
  }
  const rng = new Rng(1, 'tune input');
  const input = new Float32Array(elementCount(dims));
  rng.fillRange(input, -1, 1);
  const times: number[][] = models.map(() => []);
  const warmup = 3;
  for (let r = -warmup; r < runs; r++) {
    for (let j = 0; j < sessions.length; j++) {
      const i = (((r % sessions.length) + sessions.length + j) % sessions.length);
      const t = performance.now();
      await runFloat(sessions[i], 'image', input, dims);
      if (r >= 0) times[i].push(performance.now() - t);
    }
  }
  for (const s of sessions) await s.release();
  return times;
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

  if (!term.quiet && !term.json) term.err(`tuning ${candidates[0].name}: ${forms.length} forms, batch ${options.batch}, ${options.threads} thread(s), ${options.runs} rounds`);
  const times = await timeForms(candidates, dims, options.threads, options.runs);
  if (typeof times === 'string') {
    term.err(`error: onnxruntime could not start: ${times}`);
    return Exit.runtime;
  }
  const medians = times.map(median);
  const best = medians.indexOf(Math.min(...medians));
  const timings = forms.map((f, i) => `${f.name} ${medians[i].toFixed(3)}`).join(', ');
  const chosen = compileAll(text, {
    ...base,
    ...forms[best].options,
    extraMetadata: [
      ['tuned_form', forms[best].name],
      ['tuned_for', `onnxruntime cpu, batch ${options.batch}, ${options.threads} thread(s), median of ${options.runs} alternating rounds`],
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
    const result = { model: chosen.name, path: target, batch: options.batch, threads: options.threads, runs: options.runs, chosen: forms[best].name };
    term.out(JSON.stringify({ ...result, forms: forms.map((f, i) => ({ name: f.name, medianMs: medians[i] })), diagnostics: toJson(warnings, sources) }, null, 2));
    return Exit.ok;
  }
  reportDiagnostics(term, warnings, sources);
  for (const [i, f] of forms.entries()) term.out(`  ${i === best ? '*' : ' '} ${f.name.padEnd(8)} ${medians[i].toFixed(2).padStart(9)} ms  (${(medians[i] / medians[best]).toFixed(3)}x the fastest)`);
  term.out(`wrote ${target} (form ${forms[best].name}, recorded in its metadata)`);
  return Exit.ok;
}
