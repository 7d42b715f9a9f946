// `densec plan <spec>`: the static memory plan of a model: the arena's peak against its lower
// bound, against one buffer per tensor, and against the same schedule with every concat copying
// (planned by the same arena planner, never below the plan: plan.ts `choosePlan`); the bytes
// concatenations copy with and without eliminating them; onnxruntime's own measured peak for
// the same graph (runtime/profile.ts); and the peak per stage; optionally the arena over time as
// an SVG picture. Exports `loadGraphs`, the spec -> optimized, weighted graph step `run` shares.
import { Command, Option } from 'commander';
import path from 'node:path';
import { emitOnnx } from '../../emit/onnx.js';
import type { Graph } from '../../ir/graph.js';
import { sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { concatForms, type ConcatForm, type OptLevel } from '../../passes/pipeline.js';
import { checkPlan } from '../../plan/check.js';
import { denseBlockLiveBytes, planFigures, type PlanFigures } from '../../plan/figures.js';
import { choosePlan, type ChosenPlan } from '../../plan/plan.js';
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
  /** false with --no-runtime: skip onnxruntime's measurement. */
  readonly runtime?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

/** --model, -O and --concat: how a spec becomes the graph a command works on. */
export function graphOptions(cmd: Command): Command {
  return cmd
    .addOption(modelOption())
    .addOption(optLevelOption())
    .addOption(new Option('--concat <form>', 'dense-block concatenation at -O2 (none: every bottleneck split, least memory)').choices([...concatForms]));
}

export type LoadedGraph = LoweredModel;

/** Analyzes, lowers, weights (seeded) and optimizes the models of a spec file; or an exit code, diagnostics printed. */
export function loadGraphs(term: Terminal, file: string, options: GraphOptions): LoadedGraph[] | number {
  const optimize = { optLevel: options.optLevel, seed: options.seed ?? 0, ...(options.concat ? { concat: options.concat } : {}) };
  const loaded = lowerSpecFile(term, file, options.model, { optimize });
  if (typeof loaded === 'number') return loaded;
  reportDiagnostics(term, term.quiet ? [] : sortDiagnostics(loaded.warnings), loaded.sources);
  return [...loaded.models];
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = graphOptions(
    program
      .command('plan')
      .description('plan activation memory in one arena: peak, lower bound, naive bytes, concat copies, peak per stage')
      .argument('<spec>', 'a .dense file'),
  )
    .addOption(new Option('--batch <n>', 'samples per run (the batch size)').default(1).argParser(wholeNumber('--batch', 1, limits.batch)))
    .option('--svg <file>', 'draw the arena over time (one file per model: `-<model>` is added when there are several)')
    .option('--no-runtime', "skip measuring onnxruntime's own activation peak for the same graph");
  reporting(cmd).action(action(outcome, (spec: string, options: PlanOptions) => plan(spec, options)));
}

interface Planned {
  readonly model: string;
  readonly input: readonly number[];
  readonly opt: OptLevel;
  readonly figures: PlanFigures;
  readonly chosen: ChosenPlan;
  /** The high water per stage of the plan with every concat copying. */
  readonly copiedStages: ReadonlyMap<string, number>;
  /** Most live bytes at a step inside a dense block, in each layout. */
  readonly blockLive: { readonly eliminated: ReadonlyMap<string, number>; readonly copies: ReadonlyMap<string, number> };
  /** onnxruntime's measured peak, or why there is none. */
  readonly runtime: Measured;
}

type Measured = { readonly memInUsePeakBytes: number } | { readonly skipped: string };

async function plan(file: string, options: PlanOptions): Promise<number> {
  const term = terminal(options);
  const loaded = loadGraphs(term, file, options);
  if (typeof loaded === 'number') return loaded;
  const results: Planned[] = [];
  for (const { spec, graph } of loaded) {
    const chosen = choosePlan(graph, { batch: options.batch });
    const memory = chosen.plan;
    const violations = checkPlan(graph, memory);
    if (violations.length > 0) throw new Error(`the memory plan of \`${spec.name}\` is wrong:\n${violations.slice(0, 10).map((v) => `  ${v.message}`).join('\n')}`);
    const figures = planFigures(graph, memory);
    const runtime = options.runtime === false ? { skipped: '--no-runtime' } : await measure(graph, options.batch);
    const copiedStages = new Map(planFigures(graph, chosen.copies).stages.map((x) => [x.stage, x.highWaterBytes]));
    const blockLive = { eliminated: denseBlockLiveBytes(graph, chosen.eliminated), copies: denseBlockLiveBytes(graph, chosen.copies) };
    results.push({ model: spec.name, input: graph.input.shape, opt: options.optLevel, figures, chosen, copiedStages, blockLive, runtime });
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

/** onnxruntime's own peak for the same graph, emitted as `compile` would (CPU, one thread). */
async function measure(g: Graph, batch: number): Promise<Measured> {
  let profile: typeof import('../../runtime/profile.js');
  try {
    profile = await import('../../runtime/profile.js');
  } catch (e) {
    return { skipped: `onnxruntime is not available here (${(e as Error).message.split('\n')[0]})` };
  }
  const peak = await profile.activationPeak(emitOnnx(g).model, [batch, ...g.input.shape]);
  return 'skipped' in peak ? peak : { memInUsePeakBytes: peak.bytes };
}

function toJson(r: Planned) {
  const f = r.figures;
  return {
    model: r.model,
    input: r.input,
    optLevel: r.opt,
    batch: f.batch,
    peakBytes: f.peakBytes,
    layout: r.chosen.layout,
    lowerBoundBytes: f.lowerBoundBytes,
    ratio: f.ratio,
    naiveBytes: f.naiveBytes,
    peakEliminatedBytes: r.chosen.eliminated.arenaBytes,
    peakWithCopiesBytes: r.chosen.copies.arenaBytes,
    denseBlockLiveBytes: [...r.blockLive.eliminated].map(([stage, eliminated]) => ({ stage, eliminated, withCopies: r.blockLive.copies.get(stage) ?? 0 })),
    onnxruntime: 'skipped' in r.runtime ? { skipped: r.runtime.skipped } : { measured: true, ep: 'cpu', threads: 1, memInUsePeakBytes: r.runtime.memInUsePeakBytes },
    concatCopyBytes: f.concatCopyBytes,
    workspaceBytes: f.workspaceBytes,
    heuristic: f.heuristic,
    tensors: f.tensors,
    buffers: f.buffers,
    stages: f.stages.map((x) => ({ ...x, highWaterWithCopiesBytes: r.copiedStages.get(x.stage) ?? 0 })),
  };
}

function render(r: Planned): string {
  const f = r.figures;
  const { layout, eliminated, copies } = r.chosen;
  const how = layout === 'eliminated' ? 'concats eliminated' : `concats copied: eliminating them needs ${mb(eliminated.arenaBytes)} at this batch`;
  const ort = 'skipped' in r.runtime ? ['onnxruntime', 'skipped', r.runtime.skipped] : ['onnxruntime', mb(r.runtime.memInUsePeakBytes), "measured: the largest mem_in_use_peak in its profile of one run (CPU, 1 thread, its own rewrites and planner)"];
  const rows: [string, string, string][] = [
    ['peak (arena)', mb(f.peakBytes), `${f.peakBytes} bytes, ${f.buffers} buffers for ${f.tensors} tensors, '${f.heuristic}' order, ${how}`],
    ['lower bound', mb(f.lowerBoundBytes), `most bytes of live data at one step; peak is ${f.ratio.toFixed(3)}x`],
    ['naive', mb(f.naiveBytes), 'every tensor in its own buffer'],
    ['with copies', mb(copies.arenaBytes), `${copies.arenaBytes} bytes: the same schedule, each concat a fresh buffer its inputs are copied into`],
    ort as [string, string, string],
    ['concat copies', mb(f.concatCopyBytes.planned), `${mb(f.concatCopyBytes.withoutElimination)} without elimination`],
    ['kernel scratch', mb(f.workspaceBytes), 'the largest, included in the peak'],
  ];
  const w = Math.max(...f.stages.map((s) => s.stage.length), 14);
  const lines = [`${r.model} (-O${r.opt}, batch ${f.batch}, input ${r.input.join('x')})`];
  for (const [k, v, note] of rows) lines.push(`  ${k.padEnd(w)}  ${v.padStart(12)}   ${note}`);
  lines.push('', `  ${'stage'.padEnd(w)}  ${'high water'.padStart(12)}  ${'lower bound'.padStart(12)}  ${'with copies'.padStart(12)}`);
  for (const s of f.stages) lines.push(`  ${s.stage.padEnd(w)}  ${mb(s.highWaterBytes).padStart(12)}  ${mb(s.lowerBoundBytes).padStart(12)}  ${mb(r.copiedStages.get(s.stage) ?? 0).padStart(12)}`);
  const blocks = [...r.blockLive.eliminated].map(([stage, bytes]) => `${stage} ${mb(bytes)} / ${mb(r.blockLive.copies.get(stage) ?? 0)}`);
  if (blocks.length > 0) lines.push('', `  most live data at a step, eliminated / with copies: ${blocks.join(', ')}`);
  return lines.join('\n') + '\n';
}
