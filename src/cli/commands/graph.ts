// `densec graph <spec|model.onnx>`: a picture of a model (src/graph): one box per Table 1 stage
// (--level blocks), each dense layer in its block (layers), or every node with its shape on the
// edges (ops), of the graph at -O0, -O1 or -O2 (default: -O2, the graph `compile` writes). An
// ONNX file is drawn as it is, every node (graph/onnx.ts), to set beside another exporter's.
// As SVG (Graphviz in WebAssembly), DOT, or a self-contained HTML page with the model's summary.
// To stdout, or to a file with -o (whose extension picks the format when --format is not given).
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { diagnostic, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { prepare } from '../../emit/build.js';
import { readModel, type ModelInfo } from '../../emit/decode.js';
import { draw, drawOnnx, formats, type Format } from '../../graph/draw.js';
import type { OptLevel } from '../../passes/pipeline.js';
import { levels, type Level } from '../../graph/picture.js';
import { Exit } from '../exit.js';
import { lowerSpecFile } from '../spec.js';
import { fail, readInput, reportDiagnostics, terminal, writeOutput, type Terminal } from '../io.js';
import { action, modelOption, optLevelOption, reporting, type Outcome } from '../program.js';

interface GraphOptions {
  readonly model?: string;
  readonly format?: Format;
  readonly level: Level;
  readonly optLevel?: OptLevel;
  readonly output?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${choices.join(', ')}`);
    return value as T;
  };
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('graph')
    .description('draw a model: its stages, dense layers or every op, as SVG, DOT or an HTML page')
    .argument('<model>', 'a .dense spec, or a .onnx file (drawn as it is, every op)')
    .addOption(modelOption("the file's only model"))
    .addOption(optLevelOption().default(undefined, '2, the graph `compile` writes'))
    .addOption(new Option('--format <format>', 'svg, dot or html (default: from the -o extension, else svg)').argParser(oneOf(formats)))
    .addOption(new Option('--level <level>', 'blocks (one box per stage), layers (each dense layer) or ops (every node)').default('blocks').argParser(oneOf(levels)))
    .option('-o, --output <file>', 'write to this file instead of standard output');
  reporting(cmd).action(action(outcome, (spec: string, options: GraphOptions) => graph(spec, options)));
}

async function graph(file: string, options: GraphOptions): Promise<number> {
  const term = terminal(options);
  const format = options.format ?? formatOf(options.output) ?? 'svg';
  if (/\.onnx$/i.test(file)) {
    const misplaced = options.model !== undefined ? '--model' : options.optLevel !== undefined ? '-O' : undefined;
    if (misplaced) return fail(term, [diagnostic('D0690', undefined, { option: misplaced, file })], () => undefined, Exit.usage);
    const info = readOnnx(term, file);
    if (typeof info === 'number') return info;
    const out = await drawOnnx(info, { title: path.basename(file), format });
    return deliver(term, options, out, { model: path.basename(file), level: 'ops', format });
  }
  const loaded = lowerSpecFile(term, file, options.model, { one: true });
  if (typeof loaded === 'number') return loaded;
  reportDiagnostics(term, term.quiet ? [] : sortDiagnostics(loaded.warnings), loaded.sources);
  const { spec: model } = loaded.models[0];
  const optLevel = options.optLevel ?? 2;
  // The graph `compile` writes at that level (seeded weights: the BatchNorm folds need them).
  const { prepared } = prepare(model, { optLevel });
  if (!prepared) throw new Error(`\`${model.name}\` lowered for the picture but not for emission`);
  const out = await draw(prepared.graph, { level: options.level, format, claim: model.claim });
  return deliver(term, options, out, { model: model.name, level: options.level, format, optLevel });
}

function readOnnx(term: Terminal, file: string): ModelInfo | number {
  const bytes = readInput(file);
  if ('unreadable' in bytes) return fail(term, [diagnostic('D0691', undefined, { file, reason: bytes.unreadable })], () => undefined, Exit.spec);
  try {
    return readModel(bytes, false);
  } catch (e) {
    return fail(term, [diagnostic('D0691', undefined, { file, reason: `not an ONNX model (${(e as Error).message})` })], () => undefined, Exit.spec);
  }
}

/** To -o or stdout; with --json, what was drawn. */
function deliver(term: Terminal, options: GraphOptions, out: string, what: { model: string; level: Level; format: Format; optLevel?: OptLevel }): number {
  if (options.output && !writeOutput(term, options.output, out)) return Exit.usage;
  if (term.json) {
    const body = options.output ? { path: options.output } : { text: out };
    term.out(JSON.stringify({ ...what, ...body }, null, 2));
  } else if (options.output) {
    const at = what.optLevel !== undefined ? `, -O${what.optLevel}` : '';
    if (!term.quiet) term.err(`wrote ${options.output} (${what.model}, ${what.level}${at}, ${what.format})`);
  } else {
    process.stdout.write(out);
  }
  return Exit.ok;
}

/** `.svg`, `.dot` / `.gv`, `.html` / `.htm`. */
function formatOf(output: string | undefined): Format | undefined {
  const ext = output ? path.extname(output).toLowerCase() : '';
  return ext === '.svg' ? 'svg' : ext === '.dot' || ext === '.gv' ? 'dot' : ext === '.html' || ext === '.htm' ? 'html' : undefined;
}
