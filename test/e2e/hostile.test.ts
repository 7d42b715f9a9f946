// Hostile inputs, generated here into a temporary folder (no committed binaries): densec never
// writes over a file it reads or over anything that is not a regular file, never crashes (exit
// 70, a stack trace), never hangs (every child has a hard timeout) and never reads without bound.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { editModel } from '../../src/emit/decode.js';
import { encodeLowDepthGray } from '../image/fixtures.js';
import { root } from './cli.js';

const stackFrame = /^\s+at .+[(:]\d+/m;
let dir: string;
const at = (name: string): string => path.join(dir, name);

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The built CLI with a hard timeout: a hang fails the test instead of stalling the suite. */
function densec(args: readonly string[], timeoutMs = 30_000, env: Record<string, string> = {}): Ran {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/densec.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 2 ** 20,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - t0 };
}

/** A clean refusal: a known exit code that is not 70, a diagnostic, no stack trace. */
function refused(r: Ran, code?: number): void {
  expect(r.code, r.stderr).not.toBeNull();
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code, r.stderr).not.toBe(70);
  if (code !== undefined) expect(r.code, r.stderr).toBe(code);
  expect(r.stderr + r.stdout).not.toMatch(stackFrame);
  expect(r.stderr + r.stdout).toMatch(/error\[D\d{4}\]|error:/);
}

const small = 'model m {\n  input 3 x 16 x 16\n  conv 3x3 out 8\n  dense layers [1] growth 4\n  bn\n  relu\n  avgpool global\n  linear 4\n}\n';
const same = (file: string, text: string | Buffer): void => void expect(fs.readFileSync(file)).toEqual(Buffer.from(text));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-hostile-'));
  fs.writeFileSync(at('m.dense'), small);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('no command writes over a file it reads', () => {
  test('graph SPEC -o SPEC and plan SPEC --svg SPEC refuse', () => {
    refused(densec(['graph', at('m.dense'), '-o', at('m.dense')]), 1);
    same(at('m.dense'), small);
    refused(densec(['plan', at('m.dense'), '--svg', at('m.dense')]), 1);
    same(at('m.dense'), small);
  });

  test('compile -o onto a `use`d file refuses', () => {
    const lib = 'family f() {\n  input 3 x 16 x 16\n  conv 3x3 out 8\n  dense layers [1] growth 4\n  avgpool global\n  linear 4\n}\n';
    fs.writeFileSync(at('lib.dense'), lib);
    fs.writeFileSync(at('uses.dense'), 'use "lib.dense"\nmodel u = f()\n');
    refused(densec(['compile', at('uses.dense'), '-o', at('lib.dense')]), 1);
    same(at('lib.dense'), lib);
  });

  test('compile -o onto the --weights file refuses', () => {
    expect(densec(['compile', at('m.dense'), '-O', '0', '-o', at('w.onnx'), '-q']).code).toBe(0);
    const before = fs.readFileSync(at('w.onnx'));
    refused(densec(['compile', at('m.dense'), '--weights', at('w.onnx'), '-o', at('w.onnx')]), 1);
    expect(fs.readFileSync(at('w.onnx'))).toEqual(before);
  });

  test('a symlink to an input is the input', () => {
    fs.symlinkSync(at('m.dense'), at('link.svg'));
    refused(densec(['graph', at('m.dense'), '-o', at('link.svg')]), 1);
    same(at('m.dense'), small);
  });
});

describe('nothing that is not a regular file is replaced', () => {
  test('-o onto a FIFO or a directory refuses and leaves it', () => {
    const fifo = at('pipe.onnx');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here
    refused(densec(['compile', at('m.dense'), '-o', fifo]), 1);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    fs.mkdirSync(at('adir.svg'));
    refused(densec(['graph', at('m.dense'), '-o', at('adir.svg')]), 1);
    expect(fs.statSync(at('adir.svg')).isDirectory()).toBe(true);
  });

  test('-o /dev/null refuses and leaves the device', () => {
    refused(densec(['compile', at('m.dense'), '-o', '/dev/null']), 1);
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  test('a read-only file is not replaced, by -o or by fmt --write', () => {
    fs.writeFileSync(at('ro.svg'), 'keep me');
    fs.chmodSync(at('ro.svg'), 0o444);
    refused(densec(['graph', at('m.dense'), '-o', at('ro.svg')]), 1);
    same(at('ro.svg'), 'keep me');
    fs.writeFileSync(at('ro.dense'), 'model   m {\n  input 3 x 16 x 16\n}\n');
    fs.chmodSync(at('ro.dense'), 0o444);
    const r = densec(['fmt', '--write', at('ro.dense')]);
    refused(r, 1);
    same(at('ro.dense'), 'model   m {\n  input 3 x 16 x 16\n}\n');
  });

  test('two compiles writing the same path at once: each file whole, no temporary left', async () => {
    const one = (seed: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['bin/densec.js', 'compile', at('m.dense'), '--seed', seed, '-o', at('race.onnx'), '-q'], { cwd: root, stdio: 'ignore' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('exit', (code) => (clearTimeout(timer), resolve(code)));
      });
    expect(await Promise.all([one('1'), one('2')])).toEqual([0, 0]);
    for (const seed of ['1', '2']) expect(densec(['compile', at('m.dense'), '--seed', seed, '-o', at(`race-${seed}.onnx`), '-q']).code).toBe(0);
    const got = fs.readFileSync(at('race.onnx'));
    expect([fs.readFileSync(at('race-1.onnx')), fs.readFileSync(at('race-2.onnx'))].some((b) => b.equals(got))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.race.onnx.'))).toEqual([]);
  });

  test('fmt --write on a symlink formats its target and keeps the link', () => {
    fs.writeFileSync(at('target.dense'), 'model   m {\n  input 3 x 16 x 16\nconv 3x3 out 8\n}\n');
    fs.symlinkSync(at('target.dense'), at('alias.dense'));
    expect(densec(['fmt', '--write', at('alias.dense')]).code).toBe(0);
    expect(fs.lstatSync(at('alias.dense')).isSymbolicLink()).toBe(true);
    expect(densec(['fmt', '--check', at('target.dense')]).code).toBe(0);
  });

  test('a stale temporary file of a dead process is removed by the next write', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = at(`.s.onnx.${dead}.tmp`);
    fs.writeFileSync(stale, 'half a model');
    expect(densec(['compile', at('m.dense'), '-o', at('s.onnx'), '-q']).code).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
  });

  test('-o under /proc returns within seconds', () => {
    const r = densec(['compile', at('m.dense'), '-o', '/proc/x/m.onnx'], 15_000);
    refused(r, 1);
  });
});

describe('--external-data: the pair is consistent', () => {
  test('an old graph beside new weights is refused by run', () => {
    expect(densec(['compile', at('m.dense'), '--external-data', '-o', at('ext.onnx'), '-q']).code).toBe(0);
    const oldGraph = fs.readFileSync(at('ext.onnx'));
    expect(densec(['run', at('ext.onnx'), '-q']).code).toBe(0);
    expect(densec(['compile', at('m.dense'), '--external-data', '--seed', '7', '-o', at('ext.onnx'), '-q']).code).toBe(0);
    fs.writeFileSync(at('ext.onnx'), oldGraph); // a compile killed between the two renames
    const r = densec(['run', at('ext.onnx')]);
    refused(r);
    expect(r.stderr).toMatch(/ext\.onnx\.data/);
  });
});

describe('reads: regular files only, with a size cap', () => {
  test.each([
    ['use "/dev/zero"', ['inspect', 'zero-use.dense']],
    ['--weights /dev/zero', ['compile', 'm.dense', '--weights', '/dev/zero', '-o', 'never.onnx']],
    ['--input /dev/zero', ['run', 'm.dense', '--input', '/dev/zero']],
    ['a spec that is /dev/zero', ['inspect', '/dev/zero']],
  ])('%s is refused at once', (_name, args) => {
    fs.writeFileSync(at('zero-use.dense'), 'use "/dev/zero"\n');
    const r = densec(args.map((a) => (a.endsWith('.dense') || a.endsWith('.onnx') ? at(a) : a)), 20_000);
    refused(r);
    expect(r.stderr).toMatch(/\/dev\/zero/);
    expect(fs.existsSync(at('never.onnx'))).toBe(false);
  });

  test('a spec above the size cap is refused, and the cap can be raised', () => {
    fs.writeFileSync(at('big.dense'), small + '#'.repeat(2000) + '\n');
    const r = densec(['inspect', at('big.dense')], 20_000, { DENSEC_MAX_SPEC_BYTES: '1000' });
    refused(r);
    expect(r.stderr).toMatch(/DENSEC_MAX_SPEC_BYTES/);
    expect(densec(['inspect', at('big.dense'), '-q'], 20_000, { DENSEC_MAX_SPEC_BYTES: '100000' }).code).toBe(0);
  });
});

describe('deep and long input gets a diagnostic at its location, not a stack overflow', () => {
  const body = (expr: string): string => `model m {\n  input 3 x 16 x 16\n  conv 3x3 out ${expr}\n  dense layers [1] growth 4\n  avgpool global\n  linear 4\n}\n`;
  test.each([
    ['10,000 nested parentheses', body('('.repeat(10_000) + '8' + ')'.repeat(10_000))],
    ['10,000 nested list brackets', `const x = ${'['.repeat(10_000)}1${']'.repeat(10_000)}\n` + small],
    ['a sum of 100,000 terms', body(Array(100_000).fill('0').join(' + ') + ' + 8')],
  ])('%s', (_name, text) => {
    fs.writeFileSync(at('deep.dense'), text);
    const r = densec(['inspect', at('deep.dense')]);
    refused(r, 2);
    expect(r.stderr).toMatch(/deep\.dense:\d+:\d+/);
  });

  test('a 3,000-file use chain', () => {
    const chain = at('chain');
    fs.mkdirSync(chain);
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(chain, `f${i}.dense`), i < 2999 ? `use "f${i + 1}.dense"\n` : 'const z = 1\n');
    fs.writeFileSync(path.join(chain, 'top.dense'), 'use "f0.dense"\n' + small);
    const r = densec(['inspect', path.join(chain, 'top.dense')]);
    refused(r, 2);
    expect(r.stderr).toMatch(/\.dense:1:\d+/);
  });

  test('a UTF-8 byte-order mark is skipped', () => {
    fs.writeFileSync(at('bom.dense'), '\uFEFF' + small);
    const r = densec(['inspect', at('bom.dense'), '-q']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('NaN and infinity in imported weights', () => {
  test('are named in a warning, and refused with --strict', () => {
    expect(densec(['compile', at('m.dense'), '-O', '0', '-o', at('finite.onnx'), '-q']).code).toBe(0);
    const poisoned = editModel(fs.readFileSync(at('finite.onnx')), (m) => {
      const conv = m.graph!.initializer!.find((t) => t.name === 'features.conv0.weight')!;
      const raw = Buffer.from(conv.rawData!);
      raw.writeFloatLE(Number.NaN, 0);
      raw.writeFloatLE(Number.POSITIVE_INFINITY, 4);
      conv.rawData = raw;
    });
    fs.writeFileSync(at('nan.onnx'), poisoned);
    const warned = densec(['compile', at('m.dense'), '--weights', at('nan.onnx'), '-o', at('nan-out.onnx')]);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('warning[D0730]: 1 tensor(s) of `nan.onnx` hold NaN or infinite values: `features.conv0.weight` (2)');
    const strict = densec(['compile', at('m.dense'), '--weights', at('nan.onnx'), '--strict', '-o', at('strict-out.onnx')]);
    refused(strict, 2);
    expect(strict.stderr).toContain('error[D0731]');
    expect(fs.existsSync(at('strict-out.onnx'))).toBe(false);
  });
});

describe('messages in densec\'s words, not a library\'s', () => {
  const raw = /wire type|index out of range|Cannot read properties|Maximum call stack|out of range|densec bug|weights can be read/;
  test.each([
    ['a bad wire type', [0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e]],
    ['a model without a graph', [0x08, 0x07]],
    ['random bytes', [0x36, 0xff, 0x13, 0x00, 0x9a, 0x41, 0x07, 0xee, 0x10]],
  ])('run on %s as .onnx', (_name, bytes) => {
    fs.writeFileSync(at('junk.onnx'), Buffer.from(bytes));
    const r = densec(['run', at('junk.onnx')]);
    refused(r, 2);
    expect(r.stderr).toContain('error[D0633]');
    expect(r.stderr).not.toMatch(raw);
  });

  test('verify points size-limit diagnostics into the spec, as the other commands do', () => {
    const spec = path.join(root, 'specs/invalid/D0502-tensor-too-large.dense');
    for (const command of ['verify', 'inspect']) {
      const r = densec([command, spec]);
      refused(r, 2);
      expect(r.stderr, command).toMatch(/D0502-tensor-too-large\.dense:\d+:\d+/);
    }
  });

  test('run on a model stamped with opset 99', () => {
    expect(densec(['compile', at('m.dense'), '-o', at('op.onnx'), '-q']).code).toBe(0);
    fs.writeFileSync(at('op99.onnx'), editModel(fs.readFileSync(at('op.onnx')), (m) => void (m.opsetImport![0].version = 99)));
    const r = densec(['run', at('op99.onnx')]);
    refused(r, 2);
    expect(r.stderr).toMatch(/error\[D0634\]: `.*` is stamped with opset 99/);
    expect(r.stderr).not.toMatch(raw);
    expect(r.stderr).not.toMatch(/model_load_utils|\.cc:|\.h:\d/);
  });
});

describe('errors a person can act on', () => {
  test('an unknown claim name is an error in every command, with the names it knows', () => {
    fs.writeFileSync(at('claim.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel n = densenet(depth = 40, k = 12) is "DenseNet-122"\n`);
    for (const command of ['inspect', 'compile', 'plan', 'graph', 'verify', 'run']) {
      const r = densec([command, at('claim.dense'), ...(command === 'compile' ? ['-o', at('never.onnx')] : [])]);
      refused(r, 2);
      expect(r.stderr, command).toContain('error[D0430]: the paper has no model named "DenseNet-122"');
      expect(r.stderr, command).toContain('did you mean "DenseNet-121"?');
      expect(r.stderr, command).toContain('"DenseNet-BC (L=190, k=40)"');
    }
  });

  test('no native noise on stderr: --ep auto and --ep webgpu speak only in diagnostics', () => {
    const noise = /XDG_RUNTIME_DIR|PhysicalDeviceVk|Warning: Vulkan|\.cpp:\d+\)|sequential_executor/;
    for (const ep of ['auto', 'webgpu']) {
      const r = densec(['verify', path.join(root, 'specs/cifar.dense'), '--model', 'densenet_40_12', '--ep', ep], 120_000);
      expect(r.code, r.stderr).not.toBe(70);
      const before = r.stderr.split('\n').filter((l) => !/^\s*= detail:/.test(l)).join('\n');
      expect(before, ep).not.toMatch(noise);
      if (r.code !== 0) expect(r.stderr, ep).toMatch(/^error\[D08\d\d\]/);
    }
  });

  test('keyword typos get "did you mean"', () => {
    fs.writeFileSync(at('typo.dense'), 'famly f() {\n  input 3 x 16 x 16\n  rlu\n}\n');
    const r = densec(['inspect', at('typo.dense')]);
    refused(r, 2);
    expect(r.stderr).toContain('did you mean `family`?');
  });
});

describe('many diagnostics', () => {
  test('200,000 zero-size tensors in a weights file', () => {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) header[`t${i}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(json.length));
    fs.writeFileSync(at('zeros.safetensors'), Buffer.concat([length, json]));
    const r = densec(['compile', at('m.dense'), '--weights', at('zeros.safetensors'), '-o', at('never.onnx')], 60_000);
    refused(r, 2);
    expect(fs.existsSync(at('never.onnx'))).toBe(false);
  });
});

describe('sizes are checked before allocating', () => {
  test.each([
    ['run --batch 1000000000', ['run', 'm.dense', '--batch', '1000000000']],
    ['run --batch 100000', ['run', 'm.dense', '--batch', '100000']],
    ['plan --batch 100000000000', ['plan', 'm.dense', '--batch', '100000000000']],
    ['run --threads 100000', ['run', 'm.dense', '--runtime', 'ort', '--threads', '100000']],
    ['tune --threads 100000', ['tune', 'm.dense', '--threads', '100000']],
    ['tune --batch 100000', ['tune', 'm.dense', '--batch', '100000']],
    ['verify --threads 100000', ['verify', 'm.dense', '--threads', '100000']],
  ])('%s', (_name, args) => {
    const r = densec(args.map((a) => (a.endsWith('.dense') ? at(a) : a)), 20_000);
    refused(r, 1);
    expect(r.stderr).toMatch(/DENSEC_MAX_|at most/);
  });

  test('a PNG whose header says 25000x25000 is refused before it is decoded', () => {
    fs.writeFileSync(at('bomb.png'), encodeLowDepthGray(2, 2, [0, 1, 1, 0], 1, { width: 25_000, height: 25_000 }));
    const r = densec(['run', at('m.dense'), '--input', at('bomb.png')], 20_000);
    refused(r);
    expect(r.stderr).toMatch(/DENSEC_MAX_PIXELS/);
  });

  test('an ONNX model whose input is 1x3x100000x100000 is refused before the input is made', () => {
    expect(densec(['compile', at('m.dense'), '-o', at('wide.onnx'), '-q']).code).toBe(0);
    const edited = editModel(fs.readFileSync(at('wide.onnx')), (m) => {
      const dims = m.graph!.input![0].type!.tensorType!.shape!.dim!;
      dims[2] = { dimValue: 100_000 };
      dims[3] = { dimValue: 100_000 };
    });
    fs.writeFileSync(at('wide.onnx'), edited);
    const r = densec(['run', at('wide.onnx')], 20_000);
    refused(r);
    expect(r.stderr).toMatch(/DENSEC_MAX_ACTIVATION_BYTES/);
  });

  test('a legal spec with an 8000x8000 input is refused by run before it runs', () => {
    fs.writeFileSync(at('huge.dense'), small.replace('3 x 16 x 16', '3 x 8000 x 8000'));
    const r = densec(['run', at('huge.dense')], 20_000);
    refused(r);
    expect(r.stderr).toMatch(/DENSEC_MAX_ACTIVATION_BYTES/);
  });
});

describe('resource limits in the spec: a diagnostic within seconds', () => {
  const spec = (input: string, conv: string, layers: string, classes: string): string =>
    `model m {\n  input 3 x ${input}\n  conv 3x3 out ${conv}\n  dense layers [${layers}] growth 4\n  avgpool global\n  linear ${classes}\n}\n`;
  test.each([
    ['input 3 x 1000000 x 1000000', spec('1000000 x 1000000', '8', '1', '4'), 'D0502'],
    ['a block of a million layers', spec('32 x 32', '8', '1000000', '4'), 'D0509'],
    ['10^12 parameters', spec('8 x 8', '1000000', '1', '1000000'), 'D0503'],
  ])('%s', (_name, text, code) => {
    fs.writeFileSync(at('limit.dense'), text);
    for (const command of ['inspect', 'compile', 'plan']) {
      const r = densec([command, at('limit.dense'), ...(command === 'compile' ? ['-o', at('never.onnx')] : [])], 30_000);
      refused(r, 2);
      expect(r.stderr, command).toContain(`error[${code}]`);
      expect(r.stderr, command).toMatch(/limit\.dense:\d+:\d+/);
    }
    expect(fs.existsSync(at('never.onnx'))).toBe(false);
  });
});

describe('wrong results', () => {
  test('`dense layers []` is an error, like `[0, 2]`', () => {
    fs.writeFileSync(at('empty.dense'), small.replace('[1]', '[]'));
    refused(densec(['inspect', at('empty.dense')]), 2);
  });

  test('a stem of conv 1x1 then avgpool 2x2 verifies at -O2 as at -O0', () => {
    const spec = 'model stem {\n  input 3 x 32 x 32\n  conv 1x1 out 16\n  avgpool 2x2\n  dense layers [2, 2] growth 4\n  bn\n  relu\n  avgpool global\n  linear 10\n}\n';
    fs.writeFileSync(at('stem.dense'), spec);
    for (const level of ['0', '2']) {
      const r = densec(['verify', at('stem.dense'), '-O', level], 60_000);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
  });
});
