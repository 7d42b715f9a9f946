// `densec run <spec|model.onnx>`: runs a model and prints the output's shape, top-5 per sample,
// sum and time. The input is a seeded random tensor, or images (--input photo.jpg, repeatable:
// one sample each) with torchvision's ImageNet preprocessing; then the top-5 carry class names
// and probabilities (a softmax is applied when the model ends in logits).
// A spec is compiled (with --weights when given) and run by the reference executor (the memory
// plan, in one ArrayBuffer) or onnxruntime; a .onnx file runs in onnxruntime as it is, its input
// shape read from the file. Inputs and runtimes are small tables: one more is one more entry.
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { sourcesOf } from '../../diagnostics/render.js';
import { externalDataMismatch, readModel, type ModelInfo } from '../../emit/decode.js';
import { imagenetClasses, softmax, topK } from '../../image/classes.js';
import { pngSize } from '../../image/decode.js';
import { readImageInput } from '../../image/input.js';
import { compileAll } from '../../index.js';
import { graphCounts } from '../../ir/counts.js';
import type { Graph } from '../../ir/graph.js';
import { Rng } from '../../ir/weights.js';
import { concatForms, type ConcatForm, type OptLevel } from '../../passes/pipeline.js';
import { checkPlan } from '../../plan/check.js';
import { planMemory } from '../../plan/plan.js';
import { execute } from '../../runtime/ref/execute.js';
import { createSession, runFloat } from '../../runtime/session.js';
import { Exit } from '../exit.js';
import { limitOf, limits, overLimit } from '../limits.js';
import { fail, readInput, readSpec, readUse, reportDiagnostics, terminal, type Terminal, unreadable } from '../io.js';
import { action, failureExit, modelOption, optLevelOption, reporting, wholeNumber, type Outcome } from '../program.js';
import { loadWeightsFile, weightsContext } from './compile.js';
import { reportWithWeights } from '../weights.js';
import { median } from '../../runtime/stats.js';

type RuntimeName = 'ref' | 'ort';

interface RunOptions {
  readonly model?: string;
  readonly optLevel: OptLevel;
  readonly concat?: ConcatForm;
  readonly weights?: string;
  readonly weightsPartial?: boolean;
  readonly verbose?: boolean;
  readonly strict?: boolean;
  readonly input?: string[];
  readonly runtime?: RuntimeName;
  readonly seed: number;
  readonly batch?: number;
  readonly repeat: number;
  readonly threads?: number;
  readonly check?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('run')
    .description('run a model (a spec, or a .onnx file in onnxruntime) on images or a seeded random input; print the top-5 and the time')
    .argument('<model>', 'a .dense spec, or a .onnx file')
    .addOption(modelOption())
    .addOption(optLevelOption())
    .addOption(new Option('--concat <form>', 'dense-block concatenation at -O2 (none: every bottleneck split, least memory)').choices([...concatForms]))
    .option('--weights <file>', "trained weights: a safetensors state dict (torchvision's names) or an ONNX model's initializers")
    .option('--weights-partial', 'load the --weights tensors that fit and keep the others seeded (torch strict=False)')
    .option('--verbose', 'list every weight mismatch with its source line, not only the first 20')
    .option('--input <image>', 'a PNG, JPEG or WebP, decoded as PIL does and preprocessed as for ImageNet (resize, centre crop, normalize); repeat for a batch', collect)
    .option('--strict', 'refuse --weights that hold NaN or infinite values (a warning without it)')
    .addOption(new Option('--runtime <name>', 'ref: the TypeScript reference executor on the memory plan; ort: onnxruntime (CPU) (default: ref for a spec, ort for a .onnx file)').choices(['ref', 'ort']))
    .addOption(new Option('--seed <n>', 'seed of the weights and the random input').default(0).argParser(wholeNumber('--seed')))
    .addOption(new Option('--batch <n>', 'samples of random input (default 1)').argParser(wholeNumber('--batch', 1, limits.batch)))
    .addOption(new Option('--repeat <n>', 'runs to time; the median is reported').default(1).argParser(wholeNumber('--repeat', 1)))
    .addOption(new Option('--threads <n>', 'onnxruntime intra-op threads').argParser(wholeNumber('--threads', 1, limits.threads)))
    .option('--check', 'ref: the checking mode (freed memory is filled with NaN as soon as a tensor dies)');
  reporting(cmd).action(action(outcome, (file: string, options: RunOptions) => run(file, options)));
}

/** A seeded normal sample per element. */
export function randomInput(shape: readonly number[], batch: number, seed: number): Float32Array {
  const rng = new Rng(seed, 'input');
  const x = new Float32Array(batch * shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

/** What runs: a compiled spec model (graph and bytes) or an ONNX file. */
interface Target {
  readonly name: string;
  /** Per sample: [C, H, W]. */
  readonly inputShape: readonly number[];
  /** Whether the output already is probabilities (the model ends in a softmax). */
  readonly probabilities: boolean;
  readonly graph?: Graph;
  readonly model: Uint8Array | string;
}

interface Ran {
  readonly output: Float32Array;
  readonly shape: readonly number[];
  /** Milliseconds per run. */
  readonly times: readonly number[];
  readonly detail: string;
}

type Runtime = (term: Terminal, t: Target, input: Float32Array, batch: number, options: RunOptions) => Promise<Ran | number>;

const runtimes: Record<RuntimeName, Runtime> = {
  async ref(_term, t, input, batch, options) {
    const g = t.graph!;
    const plan = planMemory(g, { batch });
    const violations = checkPlan(g, plan);
    if (violations.length > 0) throw new Error(`the memory plan is wrong: ${violations[0].message}`);
    const times: number[] = [];
    let last;
    for (let r = 0; r < options.repeat; r++) {
      last = execute(g, plan, input, { poison: options.check ?? false });
      times.push(last.ms);
    }
    return { output: last!.output, shape: last!.shape, times, detail: `one arena of ${plan.arenaBytes} bytes${options.check ? ', checking mode' : ''}` };
  },
  async ort(term, t, input, batch, options) {
    const opened = await createSession(t.model, { ep: 'cpu', name: t.name, ...(options.threads ? { threads: options.threads } : {}) });
    if (!opened.ok) {
      // A .onnx file of the user's that onnxruntime refuses is a bad input, not a densec bug.
      if (typeof t.model === 'string' && opened.failure.diagnostic.code === 'D0805') {
        return fail(term, [diagnostic('D0707', undefined, { file: t.model, reason: `onnxruntime cannot load it: ${opened.failure.detail.split('\n')[0]}` })], () => undefined, Exit.spec);
      }
      reportDiagnostics(term, [opened.failure.diagnostic], () => undefined);
      return opened.failure.diagnostic.code === 'D0634' ? Exit.spec : Exit.runtime;
    }
    const session = opened.session;
    const [inputName, outputName] = [session.inputNames[0], session.outputNames[0]];
    const dims = [batch, ...t.inputShape];
    const times: number[] = [];
    let output;
    try {
      await runFloat(session, inputName, input, dims); // warm-up
      for (let r = 0; r < options.repeat; r++) {
        const t0 = performance.now();
        output = (await runFloat(session, inputName, input, dims)).get(outputName)!;
        times.push(performance.now() - t0);
      }
    } catch (e) {
      reportDiagnostics(term, [diagnostic('D0806', undefined, { model: t.name, ep: 'cpu' })], () => undefined);
      term.err(`  onnxruntime: ${(e as Error).message.trim()}`);
      return Exit.runtime;
    } finally {
      await session.release();
    }
    return { output: output!.data, shape: output!.dims, times, detail: `onnxruntime cpu${options.threads ? `, ${options.threads} thread(s)` : ''}` };
  },
};

const isOnnx = (file: string): boolean => /\.onnx$/i.test(file);

/** The spec's models, compiled (with --weights); or an exit code, diagnostics printed. */
function specTargets(term: Terminal, file: string, options: RunOptions): Target[] | number {
  const text = readSpec(file);
  if (typeof text !== 'string') return fail(term, [unreadable(file, text.unreadable)], () => undefined, Exit.input);
  const loaded = options.weights !== undefined ? loadWeightsFile(options.weights, options.weightsPartial, options.strict) : { diagnostics: [] };
  if (options.weights !== undefined && !loaded.weights) return fail(term, loaded.diagnostics, () => undefined, failureExit(loaded.diagnostics));
  const result = compileAll(text, {
    optionNames: 'cli',
    fileName: file,
    readFile: readUse,
    ...(options.model !== undefined ? { model: options.model } : {}),
    optLevel: options.optLevel,
    seed: options.seed,
    ...(options.concat ? { concat: options.concat } : {}),
    ...(loaded.weights ? { weights: loaded.weights } : {}),
  });
  const diagnostics = [...loaded.diagnostics, ...result.diagnostics];
  const sources = sourcesOf(result.sources);
  const weights = weightsContext(loaded, options, file);
  if (hasErrors(diagnostics)) {
    reportWithWeights(term, diagnostics, sources, weights);
    return failureExit(diagnostics);
  }
  if (!term.quiet) reportWithWeights(term, diagnostics, sources, weights);
  return result.models.map((m) => ({
    name: m.name,
    inputShape: m.graph.input.shape,
    probabilities: m.graph.output.producer?.op.kind === 'softmax',
    graph: m.graph,
    model: m.model,
  }));
}

/** The op that makes `name`, looking through Cast and Identity (a float16 model's output cast). */
function producerOf(info: ModelInfo, name: string): string | undefined {
  const node = info.nodes.find((n) => n.outputs.includes(name));
  if (node && (node.opType === 'Cast' || node.opType === 'Identity')) return producerOf(info, node.inputs[0]);
  return node?.opType;
}

/**
 * Whether external data at `location` (as a model names it) stays inside `dir`, symbolic links
 * followed: onnxruntime would otherwise read any file the model names (`../../etc/passwd`).
 */
function insideFolder(dir: string, location: string): boolean {
  if (location === '' || path.isAbsolute(location)) return false;
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const relative = path.relative(real(dir), real(path.resolve(dir, location)));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A .onnx file as it is: its input shape and whether it ends in a Softmax, read from the file. */
function onnxTarget(term: Terminal, file: string, options: RunOptions): Target[] | number {
  const flag = { model: 'model', weights: 'weights', weightsPartial: 'weights-partial', concat: 'concat' } as const;
  const misplaced = (Object.keys(flag) as (keyof typeof flag)[]).map((o) => (options[o] !== undefined ? flag[o] : undefined)).find((o) => o !== undefined) ?? (options.runtime === 'ref' ? 'runtime ref' : undefined);
  if (misplaced) return fail(term, [diagnostic('D0610', undefined, { option: `--${misplaced}`, file })], () => undefined, Exit.usage);
  const bytes = readInput(file);
  if ('unreadable' in bytes) return fail(term, [unreadable(file, bytes.unreadable)], () => undefined, Exit.input);
  let info: ModelInfo;
  try {
    info = readModel(bytes, false);
  } catch (e) {
    return fail(term, [diagnostic('D0633', undefined, { file, reason: plainDecodeError((e as Error).message) })], () => undefined, Exit.spec);
  }
  const outside = info.initializers.find((i) => i.location !== undefined && !insideFolder(path.dirname(file), i.location));
  if (outside) return fail(term, [diagnostic('D0860', undefined, { file, name: outside.name, location: outside.location! })], () => undefined, Exit.spec);
  const mismatch = externalDataProblem(file, info);
  if (mismatch) return fail(term, [mismatch], () => undefined, Exit.input);
  const dims = info.inputs[0]?.dims ?? [];
  const shape = dims.slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : NaN));
  if (dims.length < 2 || shape.some(Number.isNaN)) {
    return fail(term, [diagnostic('D0633', undefined, { file, reason: `its input's shape [${dims.join(', ')}] is not a batch of fixed-size samples` })], () => undefined, Exit.spec);
  }
  const output = info.outputs[0]?.name ?? '';
  return [{ name: info.graphName || path.basename(file, '.onnx'), inputShape: shape, probabilities: producerOf(info, output) === 'Softmax', model: file }];
}

/** protobufjs says "invalid wire type 6 at offset 11" or "index out of range: 13 + 1 > 13". */
function plainDecodeError(message: string): string {
  if (/wire type|index out of range|illegal|invalid|offset/i.test(message)) return 'its bytes are not an ONNX protobuf (damaged, truncated, or another format)';
  return message;
}

/** D0632 when a data file beside `file` is not the one its model was written with. */
function externalDataProblem(file: string, info: ModelInfo): Diagnostic | undefined {
  // Every location is inside the model's folder here: onnxTarget refused the others (D0860).
  const locations = [...new Set(info.initializers.flatMap((t) => (t.location !== undefined ? [t.location] : [])))];
  for (const location of locations) {
    const data = path.join(path.dirname(file), location);
    const bytes = readInput(data);
    const reason = 'unreadable' in bytes ? bytes.unreadable : externalDataMismatch(info, bytes);
    if (reason !== undefined) return diagnostic('D0632', undefined, { data, model: file, reason });
  }
  return undefined;
}

/** The images of --input, one sample each, preprocessed to `t`'s input; or an exit code. */
async function imageBatch(term: Terminal, files: readonly string[], t: Target): Promise<Float32Array | number> {
  const per = t.inputShape.reduce((a, b) => a * b, 1);
  const batch = new Float32Array(per * files.length);
  const diagnostics: Diagnostic[] = [];
  for (const [i, file] of files.entries()) {
    const bytes = readInput(file);
    if ('unreadable' in bytes) {
      diagnostics.push(diagnostic('D0754', undefined, { path: file, reason: bytes.unreadable }));
      continue;
    }
    const maxPixels = limitOf(limits.pixels);
    const size = pngSize(bytes);
    if (size && size.width * size.height > maxPixels) {
      diagnostics.push(overLimit(limits.pixels, `decoding \`${file}\` (${size.width}x${size.height})`, size.width * size.height));
      continue;
    }
    const { input, diagnostics: found } = await readImageInput(bytes, file, { name: t.name, inputShape: t.inputShape }, { maxPixels });
    diagnostics.push(...found);
    if (input) batch.set(input.data, i * per);
  }
  return hasErrors(diagnostics) ? fail(term, diagnostics, () => undefined, failureExit(diagnostics)) : batch;
}

interface Sample {
  readonly input?: string;
  readonly top5: { readonly index: number; readonly value: number }[] | { readonly index: number; readonly name: string; readonly probability: number }[];
  readonly sum: number;
  readonly softmaxApplied?: boolean;
}

/** Top-5 of each row: raw values for random input; class names and probabilities for images. */
function summarize(output: Float32Array, samples: number, t: Target, images: readonly string[] | undefined): Sample[] {
  const per = output.length / samples;
  return Array.from({ length: samples }, (_, n) => {
    const row = output.subarray(n * per, (n + 1) * per);
    if (images) {
      const probabilities: ArrayLike<number> = t.probabilities ? row : softmax(row);
      const names = per === imagenetClasses.length ? imagenetClasses : [];
      let sum = 0;
      for (let i = 0; i < probabilities.length; i++) sum += probabilities[i];
      return { input: images[n], top5: topK(probabilities, 5, names), sum, softmaxApplied: !t.probabilities };
    }
    const top5 = [...row.keys()].sort((a, b) => row[b] - row[a] || a - b).slice(0, 5).map((index) => ({ index, value: row[index] }));
    return { top5, sum: row.reduce((a, b) => a + b, 0) };
  });
}

/**
 * What a run allocates for activations, known before it starts: the input, plus the planned
 * arena of a spec's graph (onnxruntime plans its own, of about the same size).
 */
function activationBytes(t: Target, batch: number): number {
  const input = batch * t.inputShape.reduce((a, b) => a * b, 1) * 4;
  return input + (t.graph ? planMemory(t.graph, { batch: 1 }).arenaBytes * batch : 0);
}



async function run(file: string, options: RunOptions): Promise<number> {
  const term = terminal(options);
  const onnx = isOnnx(file);
  const images = options.input;
  if (images && options.batch !== undefined) {
    term.err('error: `--batch` does not go with `--input`: the batch is one sample per image');
    return Exit.usage;
  }
  const runtime: RuntimeName = options.runtime ?? (onnx ? 'ort' : 'ref');
  const targets = onnx ? onnxTarget(term, file, options) : specTargets(term, file, options);
  if (typeof targets === 'number') return targets;
  const batch = images?.length ?? options.batch ?? 1;
  const reports = [];
  for (const t of targets) {
    const needed = activationBytes(t, batch);
    if (needed > limitOf(limits.activationBytes)) return fail(term, [overLimit(limits.activationBytes, `running \`${t.name}\` at batch ${batch}`, needed)], () => undefined, Exit.usage);
    const input = images ? await imageBatch(term, images, t) : randomInput(t.inputShape, batch, options.seed);
    if (typeof input === 'number') return input;
    const ran = await runtimes[runtime](term, t, input, batch, options);
    if (typeof ran === 'number') return ran;
    const ms = median(ran.times);
    const macs = t.graph ? graphCounts(t.graph).total.macs * batch : undefined;
    reports.push({
      model: t.name,
      ...(onnx ? { file } : { optLevel: options.optLevel }),
      runtime,
      ...(options.weights ? { weights: path.basename(options.weights) } : {}),
      ...(images ? {} : { seed: options.seed }),
      shape: ran.shape,
      samples: summarize(ran.output, batch, t, images),
      ms,
      ...(macs !== undefined ? { macs, gmacPerSecond: macs / ms / 1e6 } : {}),
      detail: ran.detail,
    });
  }
  if (options.json) term.out(JSON.stringify(reports.length === 1 ? reports[0] : { models: reports }, null, 2));
  else if (!options.quiet) for (const r of reports) term.out(render(r, options.repeat) + '\n');
  return Exit.ok;
}

type Report = { model: string; file?: string; optLevel?: number; runtime: string; weights?: string; seed?: number; shape: readonly number[]; samples: Sample[]; ms: number; macs?: number; gmacPerSecond?: number; detail: string };

function render(r: Report, repeat: number): string {
  const how = [r.file ?? `-O${r.optLevel}`, `${r.runtime}: ${r.detail}`, ...(r.weights ? [`weights ${r.weights}`] : []), ...(r.seed !== undefined ? [`seed ${r.seed}`] : [])];
  const lines = [`${r.model} (${how.join(', ')})`, `  output [${r.shape.join(', ')}]`];
  r.samples.forEach((s, n) => {
    if (s.input !== undefined) {
      lines.push(`  ${s.input}${s.softmaxApplied ? ' (softmax of the logits)' : ''}`);
      for (const [i, p] of (s.top5 as { index: number; name: string; probability: number }[]).entries()) {
        lines.push(`    ${i + 1}. ${p.probability.toFixed(4)}  ${p.name} (${p.index})`);
      }
      return;
    }
    const top = (s.top5 as { index: number; value: number }[]).map((t) => `${t.index}:${t.value.toPrecision(5)}`).join('  ');
    lines.push(`  ${r.samples.length > 1 ? `sample ${n} ` : ''}top-5 ${top}   sum ${s.sum.toPrecision(7)}`);
  });
  const rate = r.macs !== undefined ? `, ${(r.macs / 1e9).toFixed(3)} GMAC, ${r.gmacPerSecond!.toFixed(2)} GMAC/s` : '';
  lines.push(`  time ${r.ms.toFixed(1)} ms${repeat > 1 ? ` (median of ${repeat})` : ''}${rate}`);
  return lines.join('\n');
}
