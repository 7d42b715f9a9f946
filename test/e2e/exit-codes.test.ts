// Exit codes, as `densec --help` documents them (src/cli/exit.ts), through the built CLI:
// 0 ok, 1 usage, 2 errors in the spec, 3 verification failed, 66 an input file that cannot be read,
// 4 runtime unavailable, 70 a bug in densec. Bad input never prints a stack trace and never
// leaves a file behind.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { providerInstalled } from '../../src/runtime/session.js';
import { densec, root } from './cli.js';

/** A stack frame line, as Node prints them: never shown for the user's mistakes. */
const stackFrame = /^\s+at .+[(:]\d+/m;

let dir: string;
const at = (name: string): string => path.join(dir, name);
const imagenet = path.join(root, 'specs/lib/imagenet.dense');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-exit-'));
  // Claims DenseNet-121 but has other blocks (and a small input, to run fast): the claim is false.
  fs.writeFileSync(at('false-claim.dense'), `use "${imagenet}"\nmodel not121 = imagenet(blocks = [6, 12, 24, 8], size = 64) is "DenseNet-121"\n`);
  fs.writeFileSync(at('unformatted.dense'), 'model   m {\n  input 3 x 32 x 32\nconv 3 x 3 out 8\n}\n');
  fs.writeFileSync(at('a-file'), 'not a directory\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('0: ok', () => {
  test('a command that succeeds, --help and --version', () => {
    expect(densec('inspect', 'specs/densenet121.dense', '-q').code).toBe(0);
    expect(densec('--help').code).toBe(0);
    expect(densec('inspect', '--help').code).toBe(0);
    const v = densec('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });
});

describe('1: usage', () => {
  const cases: [string, string[]][] = [
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['inspect', 'specs/densenet121.dense', '--frobnicate']],
    ['a missing argument', ['compile']],
    ['a bad -O value', ['plan', 'specs/densenet121.dense', '-O', '7']],
    ['a bad --depth value', ['inspect', 'specs/densenet121.dense', '--depth', '0']],
    ['a bad --ep value', ['verify', 'specs/densenet121.dense', '--ep', 'tpu']],
    ['a bad --seed value', ['verify', 'specs/densenet121.dense', '--seed', '-1']],
    ['--check with --write', ['fmt', '--check', '--write', 'specs/densenet121.dense']],
  ];
  for (const [what, args] of cases) {
    test(`${what}: the error and a pointer to --help, no stack trace`, () => {
      const r = densec(...args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^error: /m);
      expect(r.stderr).toContain('densec --help');
      expect(r.stderr).not.toMatch(stackFrame);
    });
  }

  for (const command of ['inspect', 'compile', 'plan', 'run', 'graph', 'verify']) {
    test(`${command}: an unknown --model, naming the models there are`, () => {
      const out = command === 'compile' ? ['--out-dir', at('unknown-model')] : [];
      const r = densec(command, 'specs/cifar.dense', '--model', 'densenet_41_12', ...out);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('no model named `densenet_41_12`');
      expect(r.stderr).toContain('`densenet_40_12`');
      expect(fs.existsSync(at('unknown-model'))).toBe(false);
    });
  }

  test('an output that cannot be written: D0609, and nothing left behind', () => {
    const target = at('a-file/sub/d121.svg');
    const r = densec('graph', 'specs/densenet121.dense', '-o', target);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[D0609]: cannot write');
    expect(r.stderr).not.toMatch(stackFrame);
    expect(densec('plan', 'specs/densenet121.dense', '--svg', target).code).toBe(1);
  });
});

describe('2: errors in the spec', () => {
  const broken = 'specs/invalid/unknown-name.dense';
  for (const command of ['inspect', 'compile', 'plan', 'run', 'graph', 'verify']) {
    test(`${command}: diagnostics with the source line, no stack trace, no output file`, () => {
      const out = command === 'compile' ? ['--out-dir', at('spec-errors')] : command === 'graph' ? ['-o', at('spec-errors.svg')] : [];
      const r = densec(command, broken, ...out);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('error[D0301]: unknown name `grwth`');
      expect(r.stderr).toContain('4 |   dense layers [4] growth grwth');
      expect(r.stderr).not.toMatch(stackFrame);
      expect(fs.existsSync(at('spec-errors'))).toBe(false);
      expect(fs.existsSync(at('spec-errors.svg'))).toBe(false);
    });
  }

  test('compile -o: a spec with errors leaves no file at the target', () => {
    const target = at('never.onnx');
    expect(densec('compile', broken, '-o', target).code).toBe(2);
    expect(fs.readdirSync(dir).filter((f) => f.includes('never'))).toEqual([]);
  });

  test('fmt: a file with syntax errors is left untouched', () => {
    const p = at('syntax.dense');
    const text = fs.readFileSync(path.join(root, 'specs/invalid/expected-token.dense'), 'utf8');
    fs.writeFileSync(p, text);
    const r = densec('fmt', '--write', p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[D02\d\d\]/m);
    expect(fs.readFileSync(p, 'utf8')).toBe(text);
  });

});

describe('66: an input file that cannot be read, whatever its kind', () => {
  // Not 1: the command line was well formed; not 2: there is no spec text to be wrong. Reported
  // as a diagnostic naming the file.
  for (const command of ['inspect', 'compile', 'plan', 'run', 'graph', 'verify', 'fmt', 'tune', 'export']) {
    test(`${command}: a spec file that does not exist`, () => {
      const r = densec(command, at('missing.dense'));
      expect(r.code, r.stderr).toBe(66);
      expect(r.stderr).toContain(`error[D0901]: cannot read \`${at('missing.dense')}\``);
      expect(r.stderr).not.toMatch(stackFrame);
    });
  }
  test.each([
    ['weights', ['compile', 'specs/cifar.dense', '--model', 'densenet_40_12', '--weights', 'missing.safetensors', '-o', 'never.onnx'], 'D0709'],
    ['an image', ['run', 'specs/densenet121.dense', '--input', 'missing.png'], 'D0754'],
    ['a model', ['run', 'missing.onnx'], 'D0901'],
    ['a directory as the spec', ['inspect', '.'], 'D0901'],
  ])('%s that does not exist', (_what, args, code) => {
    const r = densec(...args.map((a) => (a.startsWith('missing') || a === '.' || a.startsWith('never') ? at(a) : a)));
    expect(r.code, r.stderr).toBe(66);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stderr).not.toMatch(stackFrame);
  });
});

describe('3: verification failed', () => {
  test('verify: a model whose `is "DenseNet-121"` claim is false', () => {
    const r = densec('verify', at('false-claim.dense'));
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/not DenseNet-121: .*blocks \[6, 12, 24, 8\] \(paper: \[6, 12, 24, 16\]\)/);
    expect(r.stdout).toMatch(/^0 passed, 1 failed$/m);
  });

  test('fmt --check: a file that is not formatted', () => {
    const r = densec('fmt', '--check', at('unformatted.dense'));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('+  conv 3x3 out 8');
  });
});

describe('4: runtime unavailable', () => {
  // On a machine with a GPU these providers start, and there is nothing to test here.
  test.skipIf(providerInstalled('cuda'))('verify --ep cuda without the CUDA provider: the cause and the fix', () => {
    const r = densec('verify', 'specs/cifar.dense', '--model', 'densenet_40_12', '--ep', 'cuda');
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("error[D0802]: the CUDA execution provider's libraries are not installed");
    expect(r.stderr).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci');
    expect(r.stderr).toContain('--ep cpu');
    expect(r.stderr).not.toMatch(stackFrame);
  });

  test('verify --ep webgpu without a GPU: the cause and the fix', (ctx) => {
    const r = densec('verify', 'specs/cifar.dense', '--model', 'densenet_40_12', '--ep', 'webgpu', '--json');
    if (r.code === 0) ctx.skip(); // a GPU with a Vulkan driver: WebGPU works here
    expect(r.code, r.stderr).toBe(4);
    const said = JSON.parse(r.stdout) as { diagnostics: { code: string; message: string; help: string }[]; detail: string };
    const [d] = said.diagnostics;
    expect(d.code).toMatch(/^D080[14]$/);
    expect(d.message).toMatch(/WebGPU/);
    expect(d.help).toContain('--ep cpu');
    // The provider's own reason, from the probe child process (the bundled CLI once looked for
    // that child beside a chunk, where there was none, and said only "the probe exited with 1").
    expect(said.detail).not.toMatch(/the probe exited/);
    expect(said.detail.length).toBeGreaterThan(0);
  });
});

describe('70: a bug in densec', () => {
  test('an exception in a command is reported as a bug, with its stack for the report', () => {
    const script = [
      `import { main } from ${JSON.stringify(path.join(root, 'dist/src/cli/main.js'))};`,
      `import { action } from ${JSON.stringify(path.join(root, 'dist/src/cli/program.js'))};`,
      "const crash = (program, outcome) => program.command('crash').action(action(outcome, () => { throw new Error('an invariant broke'); }));",
      "process.exitCode = await main(['node', 'densec', 'crash'], [crash]);",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/^internal error: densec failed unexpectedly; please report this/);
    expect(r.stderr).toContain('Error: an invariant broke');
  });

  test('an exception outside any command too', () => {
    const script = [
      `import { main } from ${JSON.stringify(path.join(root, 'dist/src/cli/main.js'))};`,
      "process.exitCode = await main(['node', 'densec'], [() => { throw new Error('registration broke'); }]);",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(70);
    expect(r.stderr).toContain('Error: registration broke');
  });
});
