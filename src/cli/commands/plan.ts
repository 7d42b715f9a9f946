// `densec plan <spec>`: the static memory plan of a model: the arena's peak against its lower
// bound and against one buffer per tensor, the bytes concatenations copy with and without
// eliminating them, and the peak per stage; optionally the arena over time as an SVG picture.
// Exports `loadGraphs`, the spec -> optimized, weighted graph step `run` shares.
import { Command, Option } from 'commander';
import path from 'node:path';
import { sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { initWeights } from '../../ir/weights.js';
import { optimize, type ConcatForm, type OptLevel } from '../../passes/pipeline.js';
import { checkPlan } from '../../plan/check.js';
import { planFigures, type PlanFigures } from '../../plan/figures.js';
import { planMemory } from '../../plan/plan.js';
import { mb, planSvg } from '../../plan/svg.js';
import { Exit } from '../exit.js';
import { limits } from '../limits.js';
import { lowerSpecFile, type LoweredModel } from '../spec.js';
import { reportDiagnostics, terminal, writeOutput, type Terminal } from '../io.js';
import { action, modelOption, optLevelOption, reporting, wholeNumber, type Outcome } from '../program.js';

export interface GraphOptions {
  readonly model?: string;
  readonly optLevel: OptLevel;
  readonly concat?: ConcatForm;
  readonly seed?: number;
}

export interface PlanOptions extends GraphOptions {
  readonly batch: number;
  readonly svg?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

/** A parser for options that take a whole number from 1 (kept for run.ts: see program.ts `wholeNumber`). */
export const positiveInt = (flag: string) => wholeNumber(flag, 1);

/** --model, -O and --concat: how a spec becomes the graph a command works on. */
export function graphOptions(cmd: Command): Command {
  return cmd
    .addOption(modelOption())
    .addOption(optLevelOption())
    .addOption(new Option('--concat <form>', 'dense-block concatenation at -O2').choices(['all', 'chain']));
}

export type LoadedGraph = LoweredModel;

/** Analyzes, lowers, weights (seeded) and optimizes the models of a spec file; or an exit code, diagnostics printed. */
export function loadGraphs(term: Terminal, file: string, options: GraphOptions): LoadedGraph[] | number {
  const loaded = lowerSpecFile(term, file, options.model);
  if (typeof loaded === 'number') return loaded;
  reportDiagnostics(term, term.quiet ? [] : sortDiagnostics(loaded.warnings), loaded.sources);
  return loaded.models.map(({ spec, graph }) => {
    initWeights(graph, { seed: options.seed ?? 0 });
    return { spec, graph: optimize(graph, options.optLevel, options.concat ? { concat: options.concat } : {}).graph };
  });
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = graphOptions(
    program
      .command('plan')
      .description('plan activation memory in one arena: peak, lower bound, naive bytes, concat copies, peak per stage')
      .argument('<spec>', 'a .dense file'),
  )
    .addOption(new Option('--batch <n>', 'samples per run (the batch size)').default(1).argParser(wholeNumber('--batch', 1, limits.batch)))
    .option('--svg <file>', 'draw the arena over time (one file per model: `-<model>` is added when there are several)');
  reporting(cmd).action(action(outcome, (spec: string, options: PlanOptions) => plan(spec, options)));
}

interface Planned {
  readonly model: string;
  readonly input: readonly number[];
  readonly opt: OptLevel;
  readonly figures: PlanFigures;
  readonly peakWithoutEliminationBytes: number;
}

function plan(file: string, options: PlanOptions): number {
  const term = terminal(options);
  const loaded = loadGraphs(term, file, options);
  if (typeof loaded === 'number') return loaded;
  const results: Planned[] = [];
  for (const { spec, graph } of loaded) {
    const memory = planMemory(graph, { batch: options.batch });
    const violations = checkPlan(graph, memory);
    if (violations.length > 0) throw new Error(`the memory plan of \`${spec.name}\` is wrong:\n${violations.slice(0, 10).map((v) => `  ${v.message}`).join('\n')}`);
    const figures = planFigures(graph, memory);
    const naiveGraph = planMemory(graph, { batch: options.batch, eliminateConcats: false });
    results.push({ model: spec.name, input: graph.input.shape, opt: options.optLevel, figures, peakWithoutEliminationBytes: naiveGraph.arenaBytes });
    if (options.svg) {
      const target = loaded.length > 1 ? options.svg.replace(/(\.svg)?$/, `-${spec.name}$1`) : options.svg;
      if (!writeOutput(term, target, planSvg(graph, memory, figures))) return Exit.usage;
      if (!options.json && !options.quiet) term.err(`wrote ${path.normalize(target)}`);
    }
  }
  if (options.json) {
    const json = results.map(toJson);
    term.out(JSON.stringify(json.length === 1 ? json[0] : { models: json }, null, 2));
  } else term.out(results.map(render).join('\n'));
  return Exit.ok;
}

function toJson(r: Planned) {
  const f = r.figures;
  return {
    model: r.model,
    input: r.input,
    optLevel: r.opt,
    batch: f.batch,
    peakBytes: f.peakBytes,
    lowerBoundBytes: f.lowerBoundBytes,
    ratio: f.ratio,
    naiveBytes: f.naiveBytes,
    peakWithoutEliminationBytes: r.peakWithoutEliminationBytes,
    concatCopyBytes: f.concatCopyBytes,
    workspaceBytes: f.workspaceBytes,
    heuristic: f.heuristic,
    tensors: f.tensors,
    buffers: f.buffers,
    stages: f.stages,
  };
}

function render(r: Planned): string {
  const f = r.figures;
  const rows: [string, string, string][] = [
    ['peak (arena)', mb(f.peakBytes), `${f.peakBytes} bytes, ${f.buffers} buffers for ${f.tensors} tensors, '${f.heuristic}' order`],
    ['lower bound', mb(f.lowerBoundBytes), `most bytes of live data at one step; peak is ${f.ratio.toFixed(3)}x`],
    ['naive', mb(f.naiveBytes), 'every tensor in its own buffer'],
    ['no elimination', mb(r.peakWithoutEliminationBytes), 'peak if every concat copied'],
    ['concat copies', mb(f.concatCopyBytes.planned), `${mb(f.concatCopyBytes.withoutElimination)} without elimination`],
    ['kernel scratch', mb(f.workspaceBytes), 'the largest, included in the peak'],
  ];
  const w = Math.max(...f.stages.map((s) => s.stage.length), 14);
  const lines = [`${r.model} (-O${r.opt}, batch ${f.batch}, input ${r.input.join('x')})`];
  for (const [k, v, note] of rows) lines.push(`  ${k.padEnd(w)}  ${v.padStart(12)}   ${note}`);
  lines.push('', `  ${'stage'.padEnd(w)}  ${'high water'.padStart(12)}  ${'lower bound'.padStart(12)}`);
  for (const s of f.stages) lines.push(`  ${s.stage.padEnd(w)}  ${mb(s.highWaterBytes).padStart(12)}  ${mb(s.lowerBoundBytes).padStart(12)}`);
  return lines.join('\n') + '\n';
}
