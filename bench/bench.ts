// `npm run bench`: what -O2 buys, against what users run. For each model (default densenet121
// and densenet169, 224x224):
// - the compiler's time per phase in-process, MACs and parameters at -O0 and -O2, and the
//   whole `densec compile` process against torch.onnx.export of the same network (bench/peer.py),
//   alternating round by round (--process-runs rounds);
// - the matrix: -O0, -O2 and the peer (torchvision's own export, when Debian's python3-torch and
//   -torchvision are there; skipped with a message otherwise) in onnxruntime CPU and OpenCV DNN,
//   at batch 1 and 8, 1 and 2 threads, alternating within each cell, with each ratio taken round
//   by round and its spread (bench/matrix.ts);
// - onnxruntime's own activation peaks beside densec's plan (batch 1 and 8); with --profile,
//   onnxruntime's per-op breakdown of each file (bench/profile.ts);
// - the reference executor (src/runtime/ref) on the -O2 graph, --executor-runs times.
// Options: --models a,b  --runs N (batch 1; batch 8 runs a third as many)  --warmup N
// --threads 1,2  --batches 1,8  --runtimes onnxruntime,opencv  --repeats N (compile)  --peer FILE
// (any other ONNX file with the same input, added to the first model's cells)  --no-peer-export
// (reuse the files an earlier run exported into OUT/peer)
// --forms  --profile  --quick (densenet121, fewer runs)  --executor-runs N  --process-runs N (rounds of
// whole compiles against torch.onnx.export)  --out DIR.
// Writes bench.md and bench.json under --out (default out/bench).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { compileTimed, type Compiled, type Variant } from './compile.js';
import { benchInput, openSession, runOnce, type Model } from './latency.js';
import { measureMemory } from './memory.js';
import { materializeWeights } from '../src/ir/deferred.js';
import { figures } from '../src/passes/pipeline.js';
import { planMemory } from '../src/plan/plan.js';
import { planFigures } from '../src/plan/figures.js';
import { renderReport, type MemoryRow, type ModelReport, type Report } from './report.js';
import { measureExecutor } from './executor.js';
import { measureCell, opencvMissing, type Cell, type Runtime } from './matrix.js';
import { compileRounds, existingPeers, exportPeers, type PeerFile } from './peers.js';
import { profileOps, type Profile } from './profile.js';
import { targetForms } from '../src/emit/target.js';
import { leastMemoryForm, opencvForm } from './report.js';

interface Args {
  models: string[];
  runs: number;
  warmup: number;
  threads: number[];
  batches: number[];
  runtimes: Runtime[];
  repeats: number;
  peers: string[];
  peerExport: boolean;
  forms: boolean;
  profile: boolean;
  memory: boolean;
  executorRuns: number;
  processRuns: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    models: ['densenet121', 'densenet169'], runs: 40, warmup: 3, threads: [1, 2], batches: [1, 8], runtimes: ['onnxruntime', 'opencv'],
    repeats: 5, peers: [], peerExport: true, forms: false, profile: false, memory: true, executorRuns: 2, processRuns: 5, out: 'out/bench',
  };
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
      case '--batches': a.batches = next().split(',').map(Number); break;
      case '--runtimes': a.runtimes = next().split(',') as Runtime[]; break;
      case '--repeats': a.repeats = Number(next()); break;
      case '--peer': a.peers.push(next()); break;
      case '--no-peer-export': a.peerExport = false; break;
      case '--forms': a.forms = true; break;
      case '--profile': a.profile = true; break;
      case '--no-memory': a.memory = false; break;
      case '--executor-runs': a.executorRuns = Number(next()); break;
      case '--process-runs': a.processRuns = Number(next()); break;
      case '--quick': Object.assign(a, { models: ['densenet121'], runs: 15, warmup: 2, repeats: 3, executorRuns: 0, processRuns: 3 }); break;
      case '--out': a.out = next(); break;
      default: throw new Error(`unknown option ${argv[i]} (see the header of bench/bench.ts)`);
    }
  }
  if (!(a.runs >= 10)) throw new Error('--runs must be at least 10');
  if (a.runtimes.some((r) => r !== 'onnxruntime' && r !== 'opencv')) throw new Error('--runtimes takes onnxruntime and opencv');
  return a;
}

/** The variants compiled per model: -O0 and -O2 always, the alternatives with --forms. Logits, as the peer's. */
function variants(forms: boolean): [string, Variant][] {
  const logits = { head: 'logits' } as const;
  const base: [string, Variant][] = [
    ['-O0', { level: 0, emit: logits }],
    ['-O2', { level: 2, emit: logits }],
    // What `--target opencv` writes (emit/target.ts), measured in the OpenCV cells only.
    [opencvForm, { level: 2, optimize: { concat: targetForms.opencv.concat }, emit: { ...logits, fusedForm: targetForms.opencv.fusedForm }, suffix: '.opencv' }],
    // `--concat none`: in the memory table always, timed with --forms.
    [leastMemoryForm, { level: 2, optimize: { concat: 'none' }, emit: logits, suffix: '.none' }],
  ];
  if (!forms) return base;
  return [
    ...base,
    ['-O1', { level: 1, emit: logits }],
    ['-O2 concat all', { level: 2, optimize: { concat: 'all' }, emit: logits, suffix: '.all' }],
    ['-O2 fused Mul+Add', { level: 2, emit: { ...logits, fusedForm: 'affine' }, suffix: '.affine' }],
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

const say = (text: string): void => void process.stderr.write(`${text}\n`);

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  mkdirSync(args.out, { recursive: true });
  const started = performance.now();
  const notes: string[] = [];
  const opencv = args.runtimes.includes('opencv') ? opencvMissing() : undefined;
  if (opencv) notes.push(`OpenCV DNN skipped: ${opencv}`);
  const runtimes = args.runtimes.filter((r) => r !== 'opencv' || !opencv);
  let peers: PeerFile[] = [];
  if (args.peerExport) {
    say(`exporting torchvision's ${args.models.join(', ')} (bench/peer.py)`);
    const exported = exportPeers(join(args.out, 'peer'), args.models);
    if ('skipped' in exported) notes.push(`peer skipped: ${exported.skipped}`);
    else peers = exported.files;
  } else {
    peers = existingPeers(join(args.out, 'peer'), args.models);
    notes.push(`peer: ${peers.length > 0 ? `reused ${peers.map((p) => basename(p.file)).join(', ')}` : 'none (--no-peer-export and no earlier export)'}`);
  }
  const machine = { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, node: process.version };
  const report: Report = { date: new Date().toISOString(), machine, loadBefore: loadavg(), loadAfter: [], args: { ...args }, notes, models: [], seconds: 0 };
  for (const [m, model] of args.models.entries()) {
    const specFile = join('specs', `${model}.dense`);
    const compiled: [string, Compiled][] = variants(args.forms).map(([name, v]) => [name, compileTimed(specFile, v, args.out, args.repeats)]);
    const input = compiled[0][1].lowered.input.shape;
    const mine: Model[] = compiled.map(([name, c]) => ({ name, file: c.file }));
    const peerOf = (opset: number): Model[] => peers.filter((p) => p.model === model && p.opset === opset).map((p) => ({ name: 'peer', file: p.file }));
    const extra: Model[] = m === 0 ? args.peers.map((p) => ({ name: `peer ${basename(p)}`, file: p })) : [];
    // OpenCV 4.6 reads torch's opset-14 export (see bench/peer.py); onnxruntime gets the opset-17 one.
    // The least-memory form is timed with --forms only; its memory is always measured.
    const timed = mine.filter((f) => args.forms || f.name !== leastMemoryForm);
    const filesFor = (r: Runtime, of = timed): Model[] => [...of.filter((f) => r === 'opencv' || f.name !== opencvForm), ...(r === 'opencv' ? peerOf(14) : peerOf(17)), ...extra];
    const ratios: [string, string][] = [['-O2', '-O0'], ['-O2', 'peer'], ['-O0', 'peer'], [opencvForm, 'peer'], [opencvForm, '-O2']];
    const cells: Cell[] = [];
    for (const runtime of runtimes) {
      for (const batch of args.batches) {
        for (const threads of args.threads) {
          const runs = batch === 1 ? args.runs : Math.max(8, Math.ceil(args.runs / 3));
          say(`${model}: ${runtime}, batch ${batch}, ${threads} thread(s), ${filesFor(runtime).length} files, ${runs} rounds`);
          cells.push(await measureCell({ model, runtime, batch, threads, runs, warmup: args.warmup, files: filesFor(runtime), ratios }, input));
        }
      }
    }
    const memory: MemoryRow[] = [];
    if (args.memory) {
      for (const batch of args.batches) {
        for (const f of filesFor('onnxruntime', mine)) {
          const mm = await measureMemory(f.file, 1, [batch, ...input]);
          const c = compiled.find(([name]) => name === f.name)?.[1];
          const plan = c ? planFigures(c.graph, planMemory(c.graph, { batch })) : undefined;
          memory.push({ variant: f.name, batch, ...mm, ...(plan ? { planPeakBytes: plan.peakBytes, planLowerBoundBytes: plan.lowerBoundBytes } : {}) });
        }
      }
    }
    const profiles: { variant: string; batch: number; profile: Profile }[] = [];
    if (args.profile) {
      for (const batch of args.batches) {
        for (const f of filesFor('onnxruntime')) {
          say(`${model}: profile of ${f.name}, batch ${batch}`);
          profiles.push({ variant: f.name, batch, profile: await profileOps(f.file, [batch, ...input], 1, batch === 1 ? 10 : 3) });
        }
      }
    }
    const o0 = compiled[0][1];
    const o2 = compiled[1][1];
    let executor: ModelReport['executor'];
    if (args.executorRuns > 0) {
      say(`${model}: reference executor, ${args.executorRuns} runs`);
      const dims = [1, ...input];
      materializeWeights(o2.graph);
      const ex = measureExecutor(o2.graph, args.executorRuns);
      const session = await openSession(o2.file, 1);
      const ort = await runOnce(session, benchInput(dims), dims);
      await session.release();
      executor = { times: ex.times, median: ex.median, macs: ex.macs, maxDifference: ex.output.reduce((mx, v, i) => Math.max(mx, Math.abs(v - ort[i])), 0) };
    }
    say(`${model}: densec compile as a whole process${args.peerExport ? ' and torch.onnx.export, alternating' : ''}, ${args.processRuns} rounds`);
    const rounds = compileRounds(specFile, model, join(args.out, 'process'), Math.max(0, args.processRuns), args.peerExport);
    report.models.push({
      model,
      input: [1, ...input],
      compile: compiled.map(([name, c]) => ({ variant: name, times: c.times, figures: figures(c.graph), bytes: c.bytes, file: c.file })),
      process: { seconds: rounds.densec, ...(rounds.torch ? { torchExportSeconds: rounds.torch } : {}), ...(rounds.skipped ? { torchSkipped: rounds.skipped } : {}) },
      log: o2.log.map((r) => ({ name: r.name, changed: r.changed, before: r.before, after: r.after })),
      maxDifference: await maxDifference(o0.file, o2.file, [1, ...input]),
      cells,
      memory,
      profiles,
      ...(executor ? { executor } : {}),
    });
  }
  report.loadAfter = loadavg();
  report.seconds = (performance.now() - started) / 1000;
  writeFileSync(join(args.out, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  const md = renderReport(report);
  writeFileSync(join(args.out, 'bench.md'), md);
  process.stdout.write(md);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
