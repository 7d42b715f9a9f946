// The npm package as a user gets it: `npm pack`, then `npm install <tarball>` into an empty folder
// outside this repository, then the commands a user types there. The tarball must hold what a user
// needs and nothing of the workspace (sources, tests, CI, benchmarks). The install reads npm's
// cache first (`--prefer-offline`: `npm ci` has filled it) and skips install scripts, as this
// repository's .npmrc does for onnxruntime's CUDA download. With DENSEC_PACKAGE_README=1 (set by
// .ci/run) every densec line of the README also runs there, verbatim, after copying the zoo.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root } from './cli.js';
import { readmeCommands } from './readme.js';

let dir: string;
let tarball: string;
let files: string[];

const sh = (command: string, cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> =>
  spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env } });

/** `npx densec ...` in the install folder. */
const densec = (args: string) => sh(`npx --no-install densec ${args}`, dir);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-package-'));
  // dist/ is built by the global setup; --ignore-scripts skips `prepare` building it again.
  const packed = sh(`npm pack --json --ignore-scripts --pack-destination "${dir}"`, root);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(dir, info.filename);
  files = info.files.map((f) => f.path);
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'try-densec', private: true, type: 'module' }));
  const installed = sh(`npm install --prefer-offline --no-audit --no-fund --ignore-scripts "${tarball}"`, project, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
  dir = project;
}, 240_000);

afterAll(() => {
  if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the built CLI and API, the specs, the grammar, README and LICENSE', () => {
    for (const f of ['bin/densec.js', 'bin/load.js', 'dist/cli/densec.cjs', 'dist/cli/densec.cjs.cache', 'dist/cli/probe-child.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'specs/densenet121.dense', 'specs/lib/imagenet.dense', 'grammar/dense.ebnf', 'README.md', 'LICENSE', 'package.json']) {
      expect(files, f).toContain(f);
    }
  });

  test('holds nothing of the workspace: no sources, tests, CI, benchmarks or source maps', () => {
    const stray = files.filter((f) => /^(src|test|bench|scripts|\.ci|out|node_modules)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'));
    expect(stray).toEqual([]);
  });
});

describe('installed from the tarball into an empty folder', () => {
  const specs = 'node_modules/densec/specs';

  test('densec --version', () => {
    const r = densec('--version');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  test('inspect, compile, fmt --check and plan on the packaged zoo', () => {
    const inspect = densec(`inspect ${specs}/densenet121.dense`);
    expect(inspect.status, inspect.stderr).toBe(0);
    expect(inspect.stdout).toContain('7,978,856');
    const compile = densec(`compile ${specs}/densenet121.dense -o out/densenet121.onnx`);
    expect(compile.status, compile.stderr).toBe(0);
    expect(fs.statSync(path.join(dir, 'out/densenet121.onnx')).size).toBeGreaterThan(30e6);
    const fmt = densec(`fmt --check ${specs}`);
    expect(fmt.status, fmt.stdout + fmt.stderr).toBe(0);
    const plan = densec(`plan ${specs}/densenet121.dense --json`);
    expect(plan.status, plan.stderr).toBe(0);
  });

  test('verify a packaged spec in onnxruntime, and draw it with Graphviz', () => {
    const verify = densec(`verify ${specs}/cifar.dense --model densenet_bc_100_12`);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('1 passed, 0 failed');
    const graph = densec(`graph ${specs}/densenet121.dense --level blocks -o out/densenet121.svg`);
    expect(graph.status, graph.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/densenet121.svg'), 'utf8')).toMatch(/^<\?xml|<svg/);
  });

  test('verify without files, where there is no specs/ folder, says what to pass (exit 1)', () => {
    const r = densec('verify');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[D0660]');
    expect(r.stderr).toContain(`densec verify ${specs}/densenet121.dense`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('the API imports as `densec`', () => {
    const r = sh(`node -e "import('densec').then((m) => console.log(typeof m.compileAll, m.version))"`, dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^function \d+\.\d+\.\d+/);
  });

  const readme = process.env.DENSEC_PACKAGE_README === '1';
  describe.skipIf(!readme)('every densec line of the README, verbatim, with the zoo copied beside it (DENSEC_PACKAGE_README=1)', () => {
    const commands = readmeCommands(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    test.each(commands.map((c) => [c.line, c] as const))('%s', (_line, command) => {
      if (!fs.existsSync(path.join(dir, 'specs'))) fs.cpSync(path.join(dir, specs), path.join(dir, 'specs'), { recursive: true });
      const r = densec(command.args);
      expect(r.status, `${command.line}\n${r.stderr}`).toBe(command.expectedCode);
      expect(r.stderr).not.toMatch(/^\s+at .+[(:]\d+/m);
    });
  });
  test.skipIf(readme)('the README commands run here only with DENSEC_PACKAGE_README=1 (set by .ci/run): skipped', () => {});
});
