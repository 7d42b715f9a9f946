// `densec run <spec>`: runs a model on a seeded random input with the reference executor (the
// memory plan, in one ArrayBuffer) or onnxruntime, and prints the output's shape, top-5 per
// sample, sum and the time. Inputs and runtimes are small tables, so an image input or another
// runtime is one more entry.
import { Command, Option } from 'commander';
import type { Graph } from '../../ir/graph.js';
import { elementCount } from '../../ir/graph.js';
import { graphCounts } from '../../ir/counts.js';
import { Rng } from '../../ir/weights.js';
import { emitOnnx } from '../../emit/onnx.js';
import { createSession, runFloat } from '../../runtime/session.js';
import { execute } from '../../runtime/ref/execute.js';
import { checkPlan } from '../../plan/check.js';
import { planMemory } from '../../plan/plan.js';
import { Exit } from '../exit.js';
import { reportDiagnostics, terminal, type Terminal } from '../io.js';
import { action, reporting, type Outcome } from '../program.js';
import { graphOptions, loadGraphs, positiveInt, type GraphOptions } from './plan.js';

type RuntimeName = 'ref' | 'ort';

interface RunOptions extends GraphOptions {
  readonly runtime: RuntimeName;
  readonly seed: number;
  readonly batch: number;
  readonly repeat: number;
  readonly threads?: number;
  readonly check?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = graphOptions(
    program
      .command('run')
      .description('run a model on a seeded random input and print the output summary and time')
      .argument('<spec>', 'a .dense file'),
  )
    .addOption(new Option('--runtime <name>', 'ref: the TypeScript reference executor on the memory plan; ort: onnxruntime (CPU)').choices(['ref', 'ort']).default('ref'))
    .addOption(new Option('--seed <n>', 'seed of the weights and the input').default(0).argParser(Number))
    .addOption(new Option('--batch <n>', 'samples').default(1).argParser(positiveInt('--batch')))
    .addOption(new Option('--repeat <n>', 'runs to time; the median is reported').default(1).argParser(positiveInt('--repeat')))
    .addOption(new Option('--threads <n>', 'onnxruntime intra-op threads').argParser(positiveInt('--threads')))
    .option('--check', 'ref: the checking mode (freed memory is filled with NaN as soon as a tensor dies)');
  reporting(cmd).action(action(outcome, (spec: string, options: RunOptions) => run(spec, options)));
}

/** Where the input comes from. A seeded normal sample per element, for now. */
export function randomInput(g: Graph, batch: number, seed: number): Float32Array {
  const rng = new Rng(seed, 'input');
  const x = new Float32Array(batch * elementCount(g.input.shape));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

interface Ran {
  readonly output: Float32Array;
  readonly shape: readonly number[];
  /** Milliseconds per run. */
  readonly times: readonly number[];
  readonly detail: string;
}

type Runtime = (term: Terminal, g: Graph, input: Float32Array, options: RunOptions) => Promise<Ran | number>;

const runtimes: Record<RuntimeName, Runtime> = {
  async ref(_term, g, input, options) {
    const plan = planMemory(g, { batch: options.batch });
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
  async ort(term, g, input, options) {
    const emitted = emitOnnx(g, {});
    const opened = await createSession(emitted.model, { ep: 'cpu', name: g.name, ...(options.threads ? { threads: options.threads } : {}) });
    if (!opened.ok) {
      reportDiagnostics(term, [opened.failure.diagnostic], () => undefined);
      return Exit.runtime;
    }
    const dims = [options.batch, ...g.input.shape];
    await runFloat(opened.session, emitted.inputName, input, dims); // warm-up
    const times: number[] = [];
    let output;
    for (let r = 0; r < options.repeat; r++) {
      const t0 = performance.now();
      output = (await runFloat(opened.session, emitted.inputName, input, dims)).get(emitted.outputName)!;
      times.push(performance.now() - t0);
    }
    await opened.session.release();
    return { output: output!.data, shape: output!.dims, times, detail: `onnxruntime cpu${options.threads ? `, ${options.threads} thread(s)` : ''}` };
  },
};

interface Summary {
  readonly top5: { readonly index: number; readonly value: number }[];
  readonly sum: number;
}

function summarize(output: Float32Array, samples: number): Summary[] {
  const per = output.length / samples;
  return Array.from({ length: samples }, (_, n) => {
    const row = output.subarray(n * per, (n + 1) * per);
    const top5 = [...row.keys()].sort((a, b) => row[b] - row[a] || a - b).slice(0, 5).map((index) => ({ index, value: row[index] }));
    return { top5, sum: row.reduce((a, b) => a + b, 0) };
  });
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(file: string, options: RunOptions): Promise<number> {
  const term = terminal(options);
  const loaded = loadGraphs(term, file, options);
  if (typeof loaded === 'number') return loaded;
  const reports = [];
  for (const { spec, graph } of loaded) {
    const input = randomInput(graph, options.batch, options.seed);
    const ran = await runtimes[options.runtime](term, graph, input, options);
    if (typeof ran === 'number') return ran;
    const ms = median(ran.times);
    const macs = graphCounts(graph).total.macs * options.batch;
    reports.push({ model: spec.name, runtime: options.runtime, optLevel: options.opt, seed: options.seed, shape: ran.shape, samples: summarize(ran.output, options.batch), ms, macs, gmacPerSecond: macs / ms / 1e6, detail: ran.detail });
  }
  if (options.json) term.out(JSON.stringify(reports.length === 1 ? reports[0] : { models: reports }, null, 2));
  else if (!options.quiet) {
    for (const r of reports) {
      const lines = [`${r.model} (-O${r.optLevel}, ${r.runtime}: ${r.detail}, seed ${r.seed})`, `  output [${r.shape.join(', ')}]`];
      r.samples.forEach((s, n) => {
        const top = s.top5.map((t) => `${t.index}:${t.value.toPrecision(5)}`).join('  ');
        lines.push(`  ${r.samples.length > 1 ? `sample ${n} ` : ''}top-5 ${top}   sum ${s.sum.toPrecision(7)}`);
      });
      lines.push(`  time ${r.ms.toFixed(1)} ms${options.repeat > 1 ? ` (median of ${options.repeat})` : ''}, ${(r.macs / 1e9).toFixed(3)} GMAC, ${r.gmacPerSecond.toFixed(2)} GMAC/s`);
      term.out(lines.join('\n') + '\n');
    }
  }
  return Exit.ok;
}
