// `npm run bench:startup` (also the last step of `npm run bench`): how long the CLI takes to start
// against a bare `node -e 0` on the same machine, in the same run. The three commands alternate
// round by round (--rounds, default 20), so that load from other processes hits all of them
// alike; each round's ratios are taken within the round, and the report gives medians with the
// p10-p90 spread. Targets (issue 11): `densec --version` at most 2.5x node, `densec inspect
// specs/densenet121.dense` at most 4x. Writes startup.md and startup.json under --out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { median, quantile } from '../src/runtime/stats.js';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Largest allowed ratio to `node -e 0`, or undefined for the baseline itself. */
  readonly target?: number;
}

const cases: readonly Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'densec --version', args: ['bin/densec.js', '--version'], target: 2.5 },
  { name: 'densec inspect specs/densenet121.dense', args: ['bin/densec.js', 'inspect', 'specs/densenet121.dense'], target: 4 },
];

function parseArgs(argv: readonly string[]): { rounds: number; out: string } {
  const a = { rounds: 20, out: 'out/bench' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') a.rounds = Number(argv[++i]);
    else if (argv[i] === '--out') a.out = argv[++i];
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/startup.ts)`);
  }
  if (!(a.rounds >= 5)) throw new Error('--rounds must be at least 5');
  return a;
}

/** Wall-clock milliseconds of one run of `node args`; a failed run is an error. */
function timeOnce(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

interface Row {
  readonly name: string;
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly ratio?: { readonly median: number; readonly p10: number; readonly p90: number; readonly target: number; readonly met: boolean };
}

function main(): void {
  const { rounds, out } = parseArgs(process.argv.slice(2));
  const load = loadavg()[0];
  for (const c of cases) timeOnce(c.args); // warm the file cache
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) cases.forEach((c, i) => times[i].push(timeOnce(c.args)));
  const base = times[0];
  const rows: Row[] = cases.map((c, i) => {
    const ms = times[i];
    const row = { name: c.name, medianMs: median(ms), p10Ms: quantile(ms, 0.1), p90Ms: quantile(ms, 0.9) };
    if (c.target === undefined) return row;
    const ratios = ms.map((t, r) => t / base[r]);
    const m = median(ratios);
    return { ...row, ratio: { median: m, p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9), target: c.target, met: m <= c.target } };
  });

  const f = (x: number): string => x.toFixed(0);
  const lines = [
    `# Start-up time (${rounds} alternating rounds, load average ${load.toFixed(2)} at the start, node ${process.version})`,
    '',
    '| command | median | p10-p90 | ratio to node -e 0 (median, p10-p90) | target |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const ratio = r.ratio ? `${r.ratio.median.toFixed(2)}x (${r.ratio.p10.toFixed(2)}-${r.ratio.p90.toFixed(2)})` : '1';
      const target = r.ratio ? `${r.ratio.target}x ${r.ratio.met ? 'met' : 'NOT met'}` : '';
      return `| \`${r.name}\` | ${f(r.medianMs)} ms | ${f(r.p10Ms)}-${f(r.p90Ms)} ms | ${ratio} | ${target} |`;
    }),
  ];
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'startup.md'), lines.join('\n') + '\n');
  writeFileSync(join(out, 'startup.json'), JSON.stringify({ rounds, loadAverage: load, node: process.version, rows }, null, 2) + '\n');
  console.log(lines.join('\n'));
  console.log(`\nwrote ${join(out, 'startup.md')} and startup.json`);
}

main();
