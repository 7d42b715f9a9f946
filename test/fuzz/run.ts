// `npm run fuzz -- --count N --seed S [--no-oracles] [--out out/fuzz]`: the differential checks of
// check.ts (and, unless --no-oracles, the torch and onnx oracles of oracles.ts, in batches) on N
// generated specs. Each failing spec is shrunk by fast-check (replaying its run from the same
// seed) and written to <out>/failure-<i>.dense with what failed; the log goes to <out>/fuzz.log.
// Exit 0 when every spec passes, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { checkSample } from './check.js';
import { validSpec, type Sample } from './generate.js';
import { oracleFailures, pythonMissing } from './oracles.js';

interface Args {
  count: number;
  seed: number;
  oracles: boolean;
  out: string;
  batch: number;
}

function parse(argv: string[]): Args {
  const args: Args = { count: 200, seed: Date.now() % 2 ** 31, oracles: true, out: 'out/fuzz', batch: 50 };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i] ?? '';
    if (argv[i] === '--count') args.count = Number(next());
    else if (argv[i] === '--seed') args.seed = Number(next());
    else if (argv[i] === '--no-oracles') args.oracles = false;
    else if (argv[i] === '--out') args.out = next();
    else if (argv[i] === '--batch') args.batch = Number(next());
    else throw new Error(`unknown argument ${argv[i]}: use --count N --seed S [--no-oracles] [--out DIR] [--batch N]`);
  }
  if (!Number.isInteger(args.count) || args.count < 1 || !Number.isInteger(args.seed)) throw new Error('--count and --seed take whole numbers');
  return args;
}

async function failuresOf(s: Sample, scratch: string, oracles: boolean): Promise<string[]> {
  const own = await checkSample(s);
  if (own.length > 0 || !oracles) return own;
  fs.rmSync(scratch, { recursive: true, force: true });
  return (await oracleFailures([s], scratch)).get(0) ?? [];
}

function specText(s: Sample): string {
  return `${s.text}${Object.entries(s.files).map(([p, t]) => `\n# --- ${p} ---\n${t.replace(/^/gm, '# ')}`).join('')}`;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const oracles = args.oracles && pythonMissing === undefined;
  fs.mkdirSync(args.out, { recursive: true });
  const logFile = path.join(args.out, 'fuzz.log');
  const log = (line: string) => {
    process.stdout.write(`${line}\n`);
    fs.appendFileSync(logFile, `${line}\n`);
  };
  const started = performance.now();
  log(`fuzz: ${args.count} specs, seed ${args.seed}, oracles ${oracles ? 'on' : `off${pythonMissing ? ` (${pythonMissing})` : ''}`}, ${new Date().toISOString()}`);

  const samples = fc.sample(validSpec, { seed: args.seed, numRuns: args.count });
  const failing = new Map<number, string[]>();
  const scratch = path.join(args.out, 'scratch');
  for (let start = 0; start < samples.length; start += args.batch) {
    const batch = samples.slice(start, start + args.batch);
    for (const [j, s] of batch.entries()) {
      const f = await checkSample(s);
      if (f.length > 0) failing.set(start + j, f);
    }
    if (oracles) {
      fs.rmSync(scratch, { recursive: true, force: true });
      const clean = batch.map((s, j) => [s, start + j] as const).filter(([, i]) => !failing.has(i));
      const found = await oracleFailures(clean.map(([s]) => s), scratch);
      for (const [k, f] of found) failing.set(clean[k][1], f);
    }
    for (const [i, f] of failing) if (i >= start) log(`  spec ${i} fails: ${f[0].split('\n')[0]}`);
    const done = Math.min(start + args.batch, samples.length);
    log(`  ${done}/${samples.length} specs, ${failing.size} failing, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  // Shrink one failure per kind (its first line without numbers), replaying its run.
  const kinds = new Map<string, number>();
  for (const [i, f] of failing) {
    const kind = f[0].split('\n')[0].replace(/[\d.e+-]+/g, '#');
    if (!kinds.has(kind)) kinds.set(kind, i);
  }
  for (const [kind, i] of kinds) {
    const shrunk = await fc.check(
      fc.asyncProperty(validSpec, async (s) => (await failuresOf(s, scratch, oracles)).length === 0),
      { seed: args.seed, path: String(i), numRuns: args.count },
    );
    const spec = (shrunk.counterexample?.[0] as Sample | undefined) ?? samples[i];
    const why = await failuresOf(spec, scratch, oracles);
    const base = path.join(args.out, `failure-${i}`);
    fs.writeFileSync(`${base}.dense`, `${specText(spec)}`);
    fs.writeFileSync(`${base}.txt`, `${kind}\n\n${why.join('\n')}\n\nunshrunk (spec ${i} of seed ${args.seed}):\n${specText(samples[i])}`);
    log(`  failure of kind "${kind}": spec ${i}, shrunk to ${base}.dense`);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  const seconds = (performance.now() - started) / 1000;
  log(`fuzz: ${args.count} specs, seed ${args.seed}: ${failing.size} failing (${kinds.size} kinds) in ${seconds.toFixed(0)} s`);
  return failing.size === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
