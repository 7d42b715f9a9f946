// `npm run bench`: what -O2 buys. For each model (default densenet121 and densenet169 at their
// spec's size, 224x224): the compiler's time per phase, MACs and parameters at -O0 and -O2, and
// onnxruntime CPU latency (batch 1; 1 and 2 threads; -O0 and -O2 alternating in one run, median
// of --runs after --warmup), with onnxruntime's activation memory per session. `--peer FILE` adds any other ONNX
// model with the same input to the first model's latency table; `--forms` adds the alternative
// forms the defaults were chosen against (concat all vs chain, fused BN as BatchNormalization
// vs Mul+Add, -O1). The reference executor (src/runtime/ref) runs the -O2 graph --executor-runs
// times (default 2; 0 skips it) and is reported in ms and GMAC/s beside onnxruntime's 1-thread
// figures. Writes bench.md and bench.json under --out (default out/bench).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { compileTimed, type Compiled, type Variant } from './compile.js';
import { benchInput, measure, openSession, runOnce, type Latency, type Model } from './latency.js';
import { measureMemory, type Memory } from './memory.js';
import { figures } from '../src/passes/pipeline.js';
import { renderReport, type ModelReport, type Report } from './report.js';
import { measureExecutor } from './executor.js';

interface Args {
  models: string[];
  runs: number;
  warmup: number;
  threads: number[];
  repeats: number;
  peers: string[];
  forms: boolean;
  memory: boolean;
  executorRuns: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { models: ['densenet121', 'densenet169'], runs: 40, warmup: 3, threads: [1, 2], repeats: 3, peers: [], forms: false, memory: true, executorRuns: 2, out: 'out/bench' };
  for (let i = 0; i < argv.length; i++) {
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--models': a.models = next().split(','); break;
      case '--runs': a.runs = Number(next()); break;
      case '--warmup': a.warmup = Number(next()); break;
      case '--threads': a.threads = next().split(',').map(Number); break;
      case '--repeats': a.repeats = Number(next()); break;
      case '--peer': a.peers.push(next()); break;
      case '--forms': a.forms = true; break;
      case '--no-memory': a.memory = false; break;
      case '--executor-runs': a.executorRuns = Number(next()); break;
      case '--out': a.out = next(); break;
      default: throw new Error(`unknown option ${argv[i]} (see the header of bench/bench.ts)`);
    }
  }
  if (!(a.runs >= 20)) throw new Error('--runs must be at least 20');
  return a;
}

/** The variants compiled per model: -O0 and -O2 always, the alternatives with --forms. */
function variants(forms: boolean): [string, Variant][] {
  const base: [string, Variant][] = [['-O0', { level: 0 }], ['-O2', { level: 2 }]];
  if (!forms) return base;
  return [
    ...base,
    ['-O1', { level: 1 }],
    ['-O2 concat all', { level: 2, optimize: { concat: 'all' }, suffix: '.all' }],
    ['-O2 concat chain', { level: 2, optimize: { concat: 'chain' }, suffix: '.chain' }],
    ['-O2 fused Mul+Add', { level: 2, emit: { fusedForm: 'affine' }, suffix: '.affine' }],
  ];
}

/** The largest |a - b| between two models' outputs on the bench input. */
async function maxDifference(a: string, b: string, dims: readonly number[]): Promise<number> {
  const input = benchInput(dims);
  const [sa, sb] = [await openSession(a, 1), await openSession(b, 1)];
  const [ya, yb] = [await runOnce(sa, input, dims), await runOnce(sb, input, dims)];
  await sa.release();
  await sb.release();
  return ya.reduce((m, v, i) => Math.max(m, Math.abs(v - yb[i])), 0);
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  mkdirSync(args.out, { recursive: true });
  const machine = { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, node: process.version };
  const report: Report = { date: new Date().toISOString(), machine, loadBefore: loadavg(), loadAfter: [], args: { ...args }, models: [] };
  for (const [m, model] of args.models.entries()) {
    const compiled: [string, Compiled][] = variants(args.forms).map(([name, v]) => [name, compileTimed(join('specs', `${model}.dense`), v, args.out, args.repeats)]);
    const dims = [1, ...compiled[0][1].lowered.input.shape];
    const latencyModels: Model[] = compiled.map(([name, c]) => ({ name, file: c.file }));
    if (m === 0) for (const p of args.peers) latencyModels.push({ name: `peer ${basename(p)}`, file: p });
    const latency: Record<number, Latency[]> = {};
    for (const t of args.threads) {
      process.stderr.write(`${model}: ${t} thread(s), ${latencyModels.length} models, ${args.runs} runs each\n`);
      latency[t] = await measure(latencyModels, dims, t, args.runs, args.warmup);
    }
    const memory: Record<string, Memory> = {};
    if (args.memory) for (const lm of latencyModels) memory[lm.name] = await measureMemory(lm.file, 1, dims);
    const o0 = compiled[0][1];
    const o2 = compiled[1][1];
    let executor: ModelReport['executor'];
    if (args.executorRuns > 0) {
      process.stderr.write(`${model}: reference executor, ${args.executorRuns} runs\n`);
      const ex = measureExecutor(o2.graph, args.executorRuns);
      const session = await openSession(o2.file, 1);
      const ort = await runOnce(session, benchInput(dims), dims);
      await session.release();
      executor = { times: ex.times, median: ex.median, macs: ex.macs, maxDifference: ex.output.reduce((m, v, i) => Math.max(m, Math.abs(v - ort[i])), 0) };
    }
    report.models.push({
      model,
      input: dims,
      compile: compiled.map(([name, c]) => ({ variant: name, times: c.times, figures: figures(c.graph), bytes: c.bytes, file: c.file })),
      log: o2.log.map((r) => ({ name: r.name, changed: r.changed, before: r.before, after: r.after })),
      maxDifference: await maxDifference(o0.file, o2.file, dims),
      latency,
      memory,
      ...(executor ? { executor } : {}),
    });
  }
  report.loadAfter = loadavg();
  writeFileSync(join(args.out, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  const md = renderReport(report);
  writeFileSync(join(args.out, 'bench.md'), md);
  process.stdout.write(md);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
