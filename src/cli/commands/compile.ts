// `densec compile <spec>`: every model of the spec (or --model) to `<out>/<name>.onnx`, or to -o.
// Files are written all-or-nothing by src/cli/write.ts (data file first), never over an input
// (the spec, its `use`s, the weights); a failure leaves nothing behind. With --weights, every
// parameter comes from the file (checked all at once: any mismatch and nothing is written).
import { sha256Hex } from '../../emit/sha256.js';
import path from 'node:path';
import { Command, Option } from 'commander';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { sourcesOf, toJson } from '../../diagnostics/render.js';
import { checkOptions, compileAll, readWeights, type CompiledModel, type WeightsOption } from '../../index.js';
import { readNodeTypes } from '../../emit/decode.js';
import { graphCounts } from '../../ir/counts.js';
import { concatForms, type ConcatForm, type OptLevel, type PassRecord } from '../../passes/pipeline.js';
import { defaultOpset } from '../../emit/opset.js';
import { targetForms, targets, type Target } from '../../emit/target.js';
import { nonFiniteDiagnostic } from '../../weights/finite.js';
import { Exit } from '../exit.js';
import { fail, readInput, readSpec, readUse, terminal, unreadable, writeOutputs, type Output } from '../io.js';
import { reportWithWeights, type WeightsContext } from '../weights.js';
import { action, failureExit, modelOption, optLevelOption, reporting, wholeNumber, type Outcome } from '../program.js';
import { grouped } from '../../diagnostics/grouped.js';

export interface CompileCliOptions {
  readonly output?: string;
  readonly outDir: string;
  readonly model?: string;
  readonly optLevel: OptLevel;
  readonly opset: number;
  readonly head: 'softmax' | 'logits';
  readonly seed: number;
  readonly randomBnStats?: boolean;
  readonly externalData?: boolean;
  readonly fusedForm: 'bn' | 'affine';
  readonly target?: Target;
  readonly concat?: ConcatForm;
  readonly weights?: string;
  readonly weightsPartial?: boolean;
  readonly verbose?: boolean;
  readonly strict?: boolean;
  readonly dtype: 'float32' | 'float16';
  readonly explain?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('compile')
    .description('compile a spec to ONNX: out/<model>.onnx for each model, or -o for one')
    .argument('<spec>', 'a .dense file')
    .option('-o, --output <file>', 'the .onnx file to write (one model only)')
    .option('--out-dir <dir>', 'where to write <model>.onnx without -o', 'out')
    .addOption(modelOption())
    .addOption(optLevelOption())
    .addOption(new Option('--opset <n>', 'ONNX opset, 13 to 21').default(defaultOpset).argParser(wholeNumber('--opset')))
    .addOption(new Option('--head <kind>', 'end with softmax probabilities or the raw logits').choices(['softmax', 'logits']).default('softmax'))
    .addOption(new Option('--seed <n>', 'seed of the random weights').default(0).argParser(wholeNumber('--seed')))
    .option('--random-bn-stats', 'draw BatchNorm gamma, beta, mean and variance instead of 1, 0, 0, 1')
    .option('--external-data', 'weights in <model>.onnx.data beside the model (automatic above 2 GB)')
    .addOption(new Option('--fused-form <form>', 'how a fused BN-ReLU-conv is written').choices(['bn', 'affine']).default('bn'))
    .addOption(new Option('--target <runtime>', 'the exact -O2 form measured fastest there (see `densec tune`)').choices([...targets]))
    .addOption(new Option('--concat <form>', 'dense-block concatenation at -O2 (none: every bottleneck split, least memory)').choices([...concatForms]).conflicts('target'))
    .option('--weights <file>', "trained weights: a safetensors state dict (torchvision's names) or an ONNX model's initializers")
    .option('--weights-partial', 'load the --weights tensors that fit and keep the others seeded (torch strict=False)')
    .option('--verbose', 'list every weight mismatch with its source line, not only the first 20')
    .option('--strict', 'refuse --weights that hold NaN or infinite values (a warning without it)')
    .addOption(new Option('--dtype <type>', 'weights and compute; the input and output stay float32').choices(['float32', 'float16']).default('float32'))
    .option('--explain', 'print each optimization pass with nodes, MACs and parameters before and after');
  reporting(cmd).action(action(outcome, (spec: string, options: CompileCliOptions) => compileCommand(spec, options)));
}

/** Where a model goes: -o, or <out-dir>/<name>.onnx. */
function targetOf(model: CompiledModel, options: CompileCliOptions): string {
  return options.output ?? path.join(options.outDir, `${model.name}.onnx`);
}

/**
 * Reads a --weights file: the tensors with the file's name and SHA-256, or the diagnostics that
 * say why it cannot be used (D0709 unreadable, D0701/D0707/D0708 not a weights file).
 */
export function loadWeightsFile(file: string, partial = false, strict = false): { weights?: WeightsOption; diagnostics: Diagnostic[] } {
  const bytes = readInput(file);
  if ('unreadable' in bytes) return { diagnostics: [diagnostic('D0709', undefined, { path: file, reason: bytes.unreadable })] };
  const read = readWeights(bytes, path.basename(file));
  if (!read.tensors || hasErrors(read.diagnostics)) return { diagnostics: read.diagnostics };
  const nonFinite = nonFiniteDiagnostic(read.tensors, path.basename(file), strict);
  if (nonFinite) read.diagnostics.push(nonFinite);
  if (hasErrors(read.diagnostics)) return { diagnostics: read.diagnostics };
  const sha256 = sha256Hex(bytes);
  return { weights: { tensors: read.tensors, file: path.basename(file), sha256, partial }, diagnostics: read.diagnostics };
}

/** How weight problems are reported (cli/weights.ts): undefined without --weights. */
export function weightsContext(loaded: { weights?: WeightsOption }, options: { weights?: string; verbose?: boolean; model?: string }, spec: string): WeightsContext | undefined {
  if (!loaded.weights || options.weights === undefined) return undefined;
  return { file: options.weights, tensors: loaded.weights.tensors, target: options.model !== undefined ? `\`${options.model}\` of ${spec}` : spec, verbose: options.verbose ?? false };
}

function compileCommand(file: string, options: CompileCliOptions): number {
  const term = terminal(options);
  const optionErrors = checkOptions({ optLevel: options.optLevel, opset: options.opset, seed: options.seed, dtype: options.dtype }, 'cli');
  if (optionErrors.length > 0) return fail(term, optionErrors, () => undefined, Exit.usage);
  const text = readSpec(file);
  if (typeof text !== 'string') return fail(term, [unreadable(file, text.unreadable)], () => undefined, Exit.input);
  const loaded = options.weights !== undefined ? loadWeightsFile(options.weights, options.weightsPartial, options.strict) : { diagnostics: [] };
  if (options.weights !== undefined && !loaded.weights) return fail(term, loaded.diagnostics, () => undefined, failureExit(loaded.diagnostics));

  const started = performance.now();
  const result = compileAll(text, {
    optionNames: 'cli',
    // Only the optimized graph is written: the passes may reuse the lowered graph's weight arrays.
    consumeWeights: true,
    // Nor are weight values read: they are drawn as the file is written (ir/deferred.ts).
    deferWeights: true,
    fileName: file,
    readFile: readUse,
    ...(options.model !== undefined ? { model: options.model } : {}),
    optLevel: options.optLevel,
    opset: options.opset,
    head: options.head,
    seed: options.seed,
    randomBnStats: options.randomBnStats ?? false,
    externalData: options.externalData ?? false,
    fusedForm: options.fusedForm,
    ...(options.concat ? { concat: options.concat } : {}),
    ...(options.target ? { ...targetForms[options.target], extraMetadata: [['target', options.target]] as [string, string][] } : {}),
    dtype: options.dtype,
    ...(loaded.weights ? { weights: loaded.weights } : {}),
    ...(options.output ? { externalDataLocation: `${path.basename(options.output)}.data` } : {}),
  });
  const sources = sourcesOf(result.sources);
  // Spread in an array literal, not as call arguments: a weights file may bring 200,000 warnings.
  const diagnostics = [...loaded.diagnostics, ...result.diagnostics];
  const weights = weightsContext(loaded, options, file);
  if (hasErrors(diagnostics)) {
    reportWithWeights(term, diagnostics, sources, weights);
    return failureExit(diagnostics);
  }
  if (options.output && result.models.length > 1) {
    return fail(term, [diagnostic('D0608', undefined, { file, count: result.models.length })], sources, Exit.usage);
  }

  const plan = result.models.map((model) => {
    const target = targetOf(model, options);
    const dataTarget = model.externalData ? path.join(path.dirname(target), model.externalData.location) : undefined;
    return { model, target, dataTarget };
  });
  // Every file of every model in one all-or-nothing write (src/cli/write.ts), each data file before
  // its model; the parts are written one after another, never joined.
  const outputs: Output[] = plan.flatMap(({ model, target, dataTarget }) => [
    ...(model.externalData && dataTarget ? [{ path: dataTarget, data: model.externalData.parts }] : []),
    { path: target, data: model.modelParts },
  ]);
  const failed = writeOutputs(outputs);
  if (failed) return fail(term, [failed], sources, Exit.usage);
  const written = plan.map(({ model, target }) => ({ model, target }));
  const seconds = (performance.now() - started) / 1000;

  const warnings = term.quiet ? [] : sortDiagnostics(diagnostics);
  if (term.json) {
    const models = written.map(({ model, target }) => ({
      name: model.name,
      path: target,
      bytes: model.modelParts.byteLength,
      ...nodeCounts(model, options.explain ?? false),
      ...(model.externalData ? { externalData: path.join(path.dirname(target), model.externalData.location), externalBytes: model.externalData.parts.byteLength } : {}),
      ...(options.explain ? { passes: model.log } : {}),
    }));
    term.out(JSON.stringify({ models, seconds, diagnostics: toJson(warnings, sources) }, null, 2));
    return Exit.ok;
  }
  reportWithWeights(term, warnings, sources, weights);
  for (const { model, target } of written) {
    // Counted only to be printed: --quiet skips the scan of the node list.
    const ops = options.explain || !term.quiet ? onnxOps(model.nodePart) : undefined;
    if (options.explain && ops) term.out(explain(model.name, model.log, options.optLevel) + '\n' + explainOps(ops));
    if (!term.quiet && ops) {
      const { total } = graphCounts(model.graph);
      const size = model.modelParts.byteLength + (model.externalData?.parts.byteLength ?? 0);
      const how = [`opset ${options.opset}`, `-O${options.optLevel}`, ...(options.dtype === 'float16' ? ['float16'] : []), ...(loaded.weights ? [`weights ${loaded.weights.file}`] : [])];
      const nodes = `${n(ops.total)} ONNX nodes from ${n(model.graph.nodes.length)} IR nodes`;
      term.out(`wrote ${target} (${mib(size)}, ${nodes}, ${grouped(total.learnable)} learnable parameters stored, ${how.join(', ')})`);
    }
  }
  if (!term.quiet) term.out(`compiled ${written.length} model${written.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s`);
  return Exit.ok;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const n = (x: number): string => grouped(x);

/**
 * The nodes of the file as written (the bytes of its node list decoded back, not the 30 MB of
 * weights beside them), by ONNX op type, most frequent first.
 */
export function onnxOps(nodePart: Uint8Array): { total: number; byType: [string, number][] } {
  const counts = new Map<string, number>();
  const types = readNodeTypes(nodePart);
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { total: types.length, byType: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
}

/** --json: the file's ONNX node count (by op type with --explain) and the IR's, labelled apart. */
function nodeCounts(model: CompiledModel, byType: boolean) {
  const ops = onnxOps(model.nodePart);
  return { onnxNodes: ops.total, irNodes: model.graph.nodes.length, ...(byType ? { onnxOps: Object.fromEntries(ops.byType) } : {}) };
}

/** `ONNX nodes in the file: 605 (Conv 120, ...)`: the file's count, not the IR's. */
function explainOps(ops: { total: number; byType: [string, number][] }): string {
  return `  ONNX nodes in the file: ${n(ops.total)} (${ops.byType.map(([t, c]) => `${t} ${n(c)}`).join(', ')})`;
}

/** The --explain table: one row per pass, IR figures before -> after. */
export function explain(name: string, log: readonly PassRecord[], level: OptLevel): string {
  if (log.length === 0) return `${name}: -O${level}, no passes`;
  const rows = log.map((r) => [
    r.name,
    r.changed ? 'changed' : 'no change',
    `${n(r.before.nodes)} -> ${n(r.after.nodes)}`,
    `${n(r.before.macs)} -> ${n(r.after.macs)}`,
    `${n(r.before.learnable)} -> ${n(r.after.learnable)}`,
    r.refusals.length > 0 ? `${r.refusals.length} refused (${[...new Set(r.refusals.map((x) => x.reason))].join('; ')})` : '',
  ]);
  const head = ['pass', '', 'IR nodes', 'MACs', 'learnable params', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [`${name}: -O${level}, ${log.length} passes`, '  ' + line(head), ...rows.map((r) => '  ' + line(r))].join('\n');
}

