// The command line as a whole: help with examples that use only real flags, the same flags with
// the same wording in every command, and no colour unless the stream is a terminal.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { examples, exitCodes, loadCommands, program } from '../../src/cli/main.js';
import { Exit } from '../../src/cli/exit.js';
import { densecWith, root } from './cli.js';

const ansi = /\x1b\[/;

/** Unlike the other e2e tests, colour is left to each test's environment. */
const densec = (args: string[], env: Record<string, string | undefined> = {}) =>
  densecWith(args, { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, ...env } });

const cli = program({ code: 0 }, await loadCommands());
const commands = new Map(cli.commands.map((c) => [c.name(), c]));
const names = [...commands.keys()].filter((n) => n !== 'help');
const flagsOf = (cmd: Command): string[] => cmd.options.flatMap((o) => [o.long, o.short, o.negate ? o.long : undefined]).filter((f): f is string => f !== undefined);
const option = (cmd: Command, long: string) => cmd.options.find((o) => o.long === long);

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-cli-'));
  fs.writeFileSync(path.join(dir, 'small.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 16, k = 4) is "DenseNet-121"\n`);
  fs.writeFileSync(path.join(dir, 'unformatted.dense'), 'model   m {\n  input 3 x 32 x 32\nconv 3 x 3 out 8\n}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('help', () => {
  test('densec --help lists every command with an example, and the exit codes', () => {
    const r = densec(['--help']);
    expect(r.code).toBe(0);
    for (const name of names) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name} \\[`, 'm'));
      expect(r.stdout).toContain(`  $ ${examples[name][0]}\n`);
    }
    for (const code of Object.values(Exit)) expect(r.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    expect(exitCodes.map(([code]) => code)).toEqual(Object.values(Exit));
  });

  test('--version prints the version of package.json', () => {
    const r = densec(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n` });
  });

  test.each(names)('densec %s --help ends with its examples', (name) => {
    const r = densec([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nExamples:\n${examples[name].map((e) => `  $ ${e}`).join('\n')}\n`);
  });

  test.each(names)('the examples of %s use only its own flags and existing specs', (name) => {
    const cmd = commands.get(name)!;
    expect(examples[name].length).toBeGreaterThanOrEqual(2);
    for (const example of examples[name]) {
      const words = example.replace(/#.*$/, '').trim().split(/\s+/);
      expect(words.slice(0, 2)).toEqual(['densec', name]);
      for (const flag of words.filter((w) => w.startsWith('-'))) expect(flagsOf(cmd), `${example}: ${flag}`).toContain(flag);
      for (const spec of words.filter((w) => w.startsWith('specs/') && !w.includes('*'))) expect(fs.existsSync(path.join(root, spec)), spec).toBe(true);
    }
  });
});

describe('the same flags everywhere', () => {
  test.each(names)('%s has --json, -q/--quiet and --no-color, worded alike', (name) => {
    const cmd = commands.get(name)!;
    const reference = commands.get('inspect')!;
    for (const long of ['--json', '--quiet', '--no-color']) {
      expect(option(cmd, long), long).toBeDefined();
      expect(option(cmd, long)!.description).toBe(option(reference, long)!.description);
    }
    expect(option(cmd, '--quiet')!.short).toBe('-q');
    expect(option(cmd, '--no-color')!.negate).toBe(true);
  });

  test('the optimization level is -O, --opt-level <n> wherever there is one, worded alike', () => {
    const withOpt = names.filter((n) => commands.get(n)!.options.some((o) => /^-O\b|--opt/.test(o.flags)));
    expect(withOpt.sort()).toEqual(['compile', 'graph', 'plan', 'run', 'verify']);
    const descriptions = new Set(withOpt.map((n) => option(commands.get(n)!, '--opt-level')?.description));
    for (const n of withOpt) expect(option(commands.get(n)!, '--opt-level')?.flags, n).toBe('-O, --opt-level <n>');
    expect(descriptions.size).toBe(1);
  });

  test('--model <name> in every command that takes a spec', () => {
    for (const n of ['inspect', 'compile', 'verify', 'plan', 'run', 'graph']) {
      expect(option(commands.get(n)!, '--model')?.flags, n).toBe('--model <name>');
      expect(option(commands.get(n)!, '--model')?.description, n).toMatch(/^only the model of this name \(default: /);
    }
  });

  test('an option shared by several commands means one thing: same flags, same value name', () => {
    const seen = new Map<string, string>();
    for (const n of names) {
      for (const o of commands.get(n)!.options) {
        if (o.long === undefined || o.hidden) continue;
        const before = seen.get(o.long);
        if (before !== undefined) expect(o.flags, `${n} ${o.long}`).toBe(before);
        else seen.set(o.long, o.flags);
      }
    }
  });
});

describe('colour only on a terminal', () => {
  // One run of each command that would colour something (a table, a diff, a diagnostic).
  const small = () => path.join(dir, 'small.dense');
  const runs: Record<string, () => string[]> = {
    inspect: () => ['inspect', 'specs/invalid/unused.dense'],
    compile: () => ['compile', 'specs/invalid/unknown-name.dense'],
    verify: () => ['verify', small()],
    plan: () => ['plan', small(), '--svg', path.join(dir, 'plan.svg')],
    run: () => ['run', small()],
    graph: () => ['graph', small(), '--model', 'nope'],
    fmt: () => ['fmt', '--check', path.join(dir, 'unformatted.dense')],
    export: () => ['export', 'specs/invalid/unknown-name.dense'],
    // Standard input closes at once: the server ends without a word.
    lsp: () => ['lsp'],
    tune: () => ['tune', 'specs/invalid/unknown-name.dense'],
  };

  test('all the commands are covered', () => expect(Object.keys(runs).sort()).toEqual([...names].sort()));

  test.each(Object.keys(runs))('%s: no escape codes when piped, nor with --no-color or NO_COLOR even when forced', (name) => {
    const piped = densec(runs[name]());
    expect(piped.stdout + piped.stderr, 'piped').not.toMatch(ansi);
    const flag = densec([...runs[name](), '--no-color'], { FORCE_COLOR: '1' });
    expect(flag.stdout + flag.stderr, '--no-color').not.toMatch(ansi);
    const env = densec(runs[name](), { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(env.stdout + env.stderr, 'NO_COLOR').not.toMatch(ansi);
    expect([flag.code, env.code]).toEqual([piped.code, piped.code]);
  });

  test('FORCE_COLOR colours diagnostics, so the checks above can fail', () => {
    expect(densec(runs.compile(), { FORCE_COLOR: '1' }).stderr).toMatch(ansi);
  });
});

describe('--json and --quiet', () => {
  // `lsp` takes no spec: it speaks LSP on standard input and output (test/lsp).
  test.each(names.filter((n) => n !== 'lsp'))('%s --json: one JSON document on stdout when the spec has errors', (name) => {
    const r = densec(name === 'fmt' ? [name, 'specs/invalid/expected-token.dense', '--json'] : [name, 'specs/invalid/unknown-name.dense', '--json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.diagnostics.some((d: { severity: string }) => d.severity === 'error')).toBe(true);
  });

  test('graph --json: the picture and what it shows', () => {
    const r = densec(['graph', path.join(dir, 'small.dense'), '--format', 'dot', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ model: 'small', level: 'blocks', format: 'dot' });
    expect(json.text).toMatch(/^digraph "small" \{/);
  });

  test('-q hides warnings but keeps the result', () => {
    const loud = densec(['inspect', 'specs/invalid/unused.dense']);
    expect(loud.stderr).toContain('warning[D0310]');
    const quiet = densec(['inspect', 'specs/invalid/unused.dense', '-q']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(loud.stdout);
  });
});

describe('a reader that stops early', () => {
  // `true` exits before reading a byte, so densec's first write meets a closed pipe (EPIPE).
  test.each([['compile', '--help'], ['inspect', 'specs/densenet121.dense', '--depth', '3']])('densec %s ... | true: no stack trace, exit 0', (...args) => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" bin/densec.js ${args.join(' ')} | true`], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
