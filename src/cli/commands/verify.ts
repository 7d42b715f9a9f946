// `densec verify [specs...]`: compile each model, run it in onnxruntime and check it against the
// spec's closed form and the paper (src/verify/). One row per model; exit 0 only when all pass,
// 2 on spec errors, 3 when a check fails, 4 when the execution provider asked for is unavailable.
// With --out-dir, each model is also written as `densec compile` would write it.
import path from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { ModelSpec } from '../../check/spec.js';
import { append, diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { sourcesOf, toJson, type JsonDiagnostic, type Sources } from '../../diagnostics/render.js';
import { drive, selectModels } from '../../driver.js';
import { emitPrepared } from '../../emit/build.js';
import { sha256Hex } from '../../emit/sha256.js';
import { epChoices, type EpChoice } from '../../runtime/session.js';
import { renderDetails, renderTable, reportJson, tally, type Paint, type Row } from '../../verify/report.js';
import { verifyModel } from '../../verify/verify.js';
import type { OptLevel } from '../../passes/pipeline.js';
import { setProviderProbe } from '../../runtime/session.js';
import { Exit } from '../exit.js';
import { probeInChild } from '../probe.js';
import { colorEnabled, fail, isDirectory, packagedSpecs, readSpec, readUse, reportDiagnostics, runtimeUnavailable, specsIn, terminal, writeOutput, type Terminal, unreadable } from '../io.js';
import { limits } from '../limits.js';
import { action, modelOption, optLevelOption, reporting, wholeNumber, type Outcome } from '../program.js';

interface VerifyCliOptions {
  readonly ep: EpChoice;
  readonly model?: string;
  readonly outDir?: string;
  /** The old spelling of --out-dir, kept for scripts (package.json's `npm start`). */
  readonly out?: string;
  readonly threads?: number;
  readonly optLevel: OptLevel;
  readonly seed: number;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('verify')
    .description('compile, run and check models against the paper (default: every spec in specs/)')
    .argument('[specs...]', '.dense files')
    .addOption(modelOption('every model in the files'))
    .addOption(new Option('--ep <provider>', 'execution provider (auto: cuda, then webgpu, then cpu)').choices([...epChoices]).default('cpu'))
    .option('--out-dir <dir>', 'also write each compiled model to <dir>/<model>.onnx')
    .addOption(new Option('--out <dir>').hideHelp())
    .addOption(new Option('--threads <n>', 'onnxruntime intra-op threads (default: all cores)').argParser(wholeNumber('--threads', 1, limits.threads)))
    .addOption(optLevelOption())
    .addOption(new Option('--seed <n>', 'seed of the random weights').default(0).argParser(wholeNumber('--seed')));
  reporting(cmd).action(action(outcome, (specs: string[], options: VerifyCliOptions) => verifyCommand(specs, options)));
}

interface Job {
  readonly file: string;
  readonly text: string;
  readonly spec: ModelSpec;
}

/** Reads and checks every file; library files (no model) are skipped. */
type Report = (diagnostics: readonly Diagnostic[], sources: Sources) => void;

function collect(files: readonly string[], term: Terminal, report: Report, model: string | undefined): { jobs: Job[]; all: ModelSpec[]; specErrors: boolean; unreadableFiles: boolean; sources: SourceFile[] } {
  const jobs: Job[] = [];
  const all: ModelSpec[] = [];
  let specErrors = false;
  let unreadableFiles = false;
  const sources: SourceFile[] = [];
  for (const file of files) {
    const text = readSpec(file);
    if (typeof text !== 'string') {
      report([unreadable(file, text.unreadable)], () => undefined);
      specErrors = true;
      unreadableFiles = true;
      continue;
    }
    const analysis = drive(text, { fileName: file, readFile: readUse, until: 'analysis', library: true });
    sources.push(...analysis.sources);
    const shown = term.quiet ? analysis.diagnostics.filter((d) => d.severity === 'error') : analysis.diagnostics;
    report(sortDiagnostics(shown), sourcesOf(analysis.sources));
    if (hasErrors(analysis.diagnostics)) specErrors = true;
    all.push(...analysis.models.map((m) => m.spec));
    for (const { spec } of analysis.models) if (model === undefined || spec.name === model) jobs.push({ file, text, spec });
  }
  return { jobs, all, specErrors, unreadableFiles, sources };
}

function progressBar(total: number): cliProgress.SingleBar | undefined {
  if (!process.stderr.isTTY || total === 0) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: 'verifying [{bar}] {value}/{total} {model}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { model: '' });
  return bar;
}

async function verifyCommand(files: string[], options: VerifyCliOptions): Promise<number> {
  const term = terminal(options);
  setProviderProbe(probeInChild);
  const started = performance.now();
  if (files.length === 0 && !isDirectory('specs')) {
    const example = path.relative(process.cwd(), path.join(packagedSpecs(), 'densenet121.dense')) || 'specs/densenet121.dense';
    return fail(term, [diagnostic('D0660', undefined, { cwd: process.cwd(), example })], () => undefined, Exit.usage);
  }
  const inputs = files.length > 0 ? files : specsIn('specs');
  // Text: diagnostics as they come. JSON: all of them in the one document printed at the end.
  const reported: JsonDiagnostic[] = [];
  const report: Report = (d, sources) => (term.json ? reported.push(...toJson(d, sources)) : reportDiagnostics(term, d, sources));
  const { jobs, all, specErrors, unreadableFiles, sources } = collect(inputs, term, report, options.model);
  const selected = selectModels(inputs.join(', '), all, options.model);
  if (options.model !== undefined && 'error' in selected && !specErrors) {
    reportDiagnostics(term, [selected.error], () => undefined);
    return Exit.usage;
  }
  const outDir = options.outDir ?? options.out;
  const rows: Row[] = [];
  const diagnostics: Diagnostic[] = [];
  const bar = progressBar(jobs.length);
  // `auto` settles on a provider with the first model; the rest use it without probing again.
  let ep = options.ep;
  try {
    for (const job of jobs) {
      bar?.update(rows.length, { model: job.spec.name });
      const buildOptions = { optLevel: options.optLevel, seed: options.seed, sourceName: job.file, sourceSha256: sha256Hex(job.text) };
      const verified = await verifyModel(job.spec, { ...buildOptions, ep, ...(options.threads ? { threads: options.threads } : {}) });
      append(diagnostics, verified.diagnostics);
      if (verified.kind === 'unavailable') {
        bar?.stop();
        return runtimeUnavailable(term, verified.failure.diagnostic, verified.failure.detail, 'onnxruntime', reported);
      }
      if (verified.kind === 'invalid') continue;
      if (outDir && !writeOutput(term, path.join(outDir, `${job.spec.name}.onnx`), emitPrepared(verified.prepared).model)) return Exit.usage;
      rows.push({ file: job.file, report: verified.report });
      ep = verified.report.ep;
    }
  } finally {
    bar?.stop();
  }
  const invalid = specErrors || hasErrors(diagnostics);
  // Lowering's diagnostics (D05: sizes and limits) point into the spec, as in every other command.
  if (hasErrors(diagnostics)) report(sortDiagnostics(diagnostics), sourcesOf(sources));
  const { passed, failed } = tally(rows);
  const seconds = (performance.now() - started) / 1000;

  if (term.json) {
    term.out(JSON.stringify({ models: reportJson(rows), passed, failed, seconds: Number(seconds.toFixed(2)), specErrors: invalid, diagnostics: reported }, null, 2));
  } else {
    const color = colorEnabled(process.stdout, options.color === false);
    const c = pc.createColors(color);
    const paint: Paint = { pass: c.green, fail: c.red, note: c.yellow, skip: c.dim };
    if (rows.length > 0) term.out(renderTable(rows, paint));
    const details = renderDetails(rows, paint);
    if (details && !term.quiet) term.out(details);
    if (!term.quiet) term.out(`verified ${rows.length} model${rows.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s`);
    term.out(`${passed} passed, ${failed} failed`);
  }
  if (unreadableFiles) return Exit.input;
  if (invalid) return Exit.spec;
  return failed > 0 ? Exit.verify : Exit.ok;
}
