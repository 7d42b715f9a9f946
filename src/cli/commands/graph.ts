// `densec graph <spec>`: a picture of a model, from its lowered IR (src/graph): one box per
// Table 1 stage (--level blocks), each dense layer in its block (layers), or every node with
// its shape on the edges (ops). As SVG (Graphviz in WebAssembly), DOT, or a self-contained HTML
// page with the model's summary. To stdout, or to a file with -o (whose extension picks the
// format when --format is not given).
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { draw, formats, type Format } from '../../graph/draw.js';
import { levels, type Level } from '../../graph/picture.js';
import { Exit } from '../exit.js';
import { lowerSpecFile } from '../spec.js';
import { reportDiagnostics, terminal, writeOutput } from '../io.js';
import { action, modelOption, reporting, type Outcome } from '../program.js';

interface GraphOptions {
  readonly model?: string;
  readonly format?: Format;
  readonly level: Level;
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
    .argument('<spec>', 'a .dense file')
    .addOption(modelOption("the file's only model"))
    .addOption(new Option('--format <format>', 'svg, dot or html (default: from the -o extension, else svg)').argParser(oneOf(formats)))
    .addOption(new Option('--level <level>', 'blocks (one box per stage), layers (each dense layer) or ops (every node)').default('blocks').argParser(oneOf(levels)))
    .option('-o, --output <file>', 'write to this file instead of standard output');
  reporting(cmd).action(action(outcome, (spec: string, options: GraphOptions) => graph(spec, options)));
}

async function graph(file: string, options: GraphOptions): Promise<number> {
  const term = terminal(options);
  const loaded = lowerSpecFile(term, file, options.model, { one: true });
  if (typeof loaded === 'number') return loaded;
  reportDiagnostics(term, term.quiet ? [] : sortDiagnostics(loaded.warnings), loaded.sources);
  const { spec: model, graph: lowered } = loaded.models[0];

  const format = options.format ?? formatOf(options.output) ?? 'svg';
  const out = await draw(lowered, { level: options.level, format, claim: model.claim });
  if (options.output && !writeOutput(term, options.output, out)) return Exit.usage;
  if (term.json) {
    const body = options.output ? { path: options.output } : { text: out };
    term.out(JSON.stringify({ model: model.name, level: options.level, format, ...body }, null, 2));
  } else if (options.output) {
    if (!term.quiet) term.err(`wrote ${options.output} (${model.name}, ${options.level}, ${format})`);
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
