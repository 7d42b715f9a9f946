// `densec inspect <spec>`: a torchinfo-style summary of each model in a spec file: output shape,
// learnable parameters and MACs per Table 1 stage (or per layer with --depth 2), then totals.
import { Command, InvalidArgumentError, Option } from 'commander';
import { sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { toJson } from '../../diagnostics/render.js';
import { renderSummary, summarize, summaryToJson, type Summary } from '../../ir/summary.js';
import { Exit } from '../exit.js';
import { lowerSpecFile } from '../spec.js';
import { colorEnabled, reportDiagnostics, terminal } from '../io.js';
import { action, modelOption, reporting, type Outcome } from '../program.js';

interface InspectOptions {
  readonly model?: string;
  readonly depth: number;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

function parseDepth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1 (stages), 2 (layers) or 3 (nodes)');
  return n;
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('inspect')
    .description('summarize a model: output shape, parameters and MACs per stage, then totals')
    .argument('<spec>', 'a .dense file')
    .addOption(modelOption())
    .addOption(new Option('--depth <n>', 'rows: 1 stages, 2 layers, 3 nodes').default(1).argParser(parseDepth));
  reporting(cmd).action(action(outcome, (spec: string, options: InspectOptions) => inspect(spec, options)));
}

function inspect(file: string, options: InspectOptions): number {
  const term = terminal(options);
  const loaded = lowerSpecFile(term, file, options.model);
  if (typeof loaded === 'number') return loaded;
  const { sources } = loaded;
  const summaries: Summary[] = loaded.models.map(({ spec, graph }) => summarize(graph, { depth: options.depth, claim: spec.claim }));

  const warnings = term.quiet ? [] : sortDiagnostics(loaded.warnings);
  if (term.json) {
    const extra = warnings.length > 0 ? { diagnostics: toJson(warnings, sources) } : {};
    const body = summaries.length === 1 ? summaryToJson(summaries[0]) : { models: summaries.map(summaryToJson) };
    term.out(JSON.stringify({ ...body, ...extra }, null, 2));
  } else {
    reportDiagnostics(term, warnings, sources);
    const color = colorEnabled(process.stdout, options.color === false);
    term.out(summaries.map((s) => renderSummary(s, { color })).join('\n'));
  }
  return Exit.ok;
}

