// `densec tune` end to end: every form measured in onnxruntime or OpenCV DNN, the fastest written
// with its choice, the runtime and its timings in the metadata, and the written form computing
// what the default -O2 form computes. OpenCV's cases need Debian's python3-opencv (skipped, saying
// why, without it); its failures are checked through stand-in interpreters.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import ort from 'onnxruntime-node';
import { chooseForm } from '../../src/cli/commands/tune.js';
import { readModel } from '../../src/emit/decode.js';
import { providerInstalled } from '../../src/runtime/session.js';
import { python, pythonLacks } from '../../scripts/python.js';
import { densec, probabilitiesOf, root } from './cli.js';

const noOpenCv = pythonLacks(['cv2', 'numpy'], ['python3-opencv']);

let dir: string;
const at = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-tune-'));
  fs.writeFileSync(at('small.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 16, k = 4)\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const probabilities = (file: string, input: Float32Array): Promise<Float32Array> => probabilitiesOf(file, input, [2, 3, 32, 32]);

/** onnxruntime's activation peak for a file, read here from its own profile: the largest mem_in_use_peak of a node. */
async function profiledPeak(file: string, dims: number[]): Promise<number> {
  const prefix = path.join(fs.mkdtempSync(path.join(dir, 'profile-')), 'p');
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, enableProfiling: true, profileFilePrefix: prefix });
  await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b)), dims) });
  session.endProfiling();
  await session.release();
  const [trace] = fs.readdirSync(path.dirname(prefix));
  const events = JSON.parse(fs.readFileSync(path.join(path.dirname(prefix), trace), 'utf8')) as { cat: string; args?: { mem_in_use_peak?: string } }[];
  return Math.max(...events.filter((e) => e.cat === 'Node' && e.args?.mem_in_use_peak !== undefined).map((e) => Number(e.args!.mem_in_use_peak)));
}

describe('the form tune writes', () => {
  const figures = fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 6 });
  test('is the fastest; with peaks, the least peak and the fastest of those (property)', () => {
    fc.assert(
      fc.property(figures, (f) => {
        const ms = f.map(([t]) => t);
        const peaks = f.map(([, p]) => p);
        expect(ms[chooseForm(ms)]).toBe(Math.min(...ms));
        const chosen = chooseForm(ms, peaks);
        expect(peaks[chosen]).toBe(Math.min(...peaks));
        expect(ms[chosen]).toBe(Math.min(...ms.filter((_, i) => peaks[i] === peaks[chosen])));
      }),
    );
  });
});

describe('densec tune', () => {
  test('measures every form, writes the fastest and records the choice; it computes what -O2 does', async () => {
    const r = densec('tune', at('small.dense'), '-o', at('tuned.onnx'), '--runs', '3', '--batch', '2', '--random-bn-stats', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { chosen: string; objective: string; forms: { name: string; medianMs: number; peakBytes: number }[] };
    expect(result.forms.map((f) => f.name)).toEqual(['split', 'concat', 'mul-add', 'no-concat']);
    expect(result.objective).toBe('time');
    const fastest = result.forms.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
    expect(result.chosen).toBe(fastest.name);

    const m = readModel(fs.readFileSync(at('tuned.onnx')));
    expect(m.metadata.get('tuned_form')).toBe(result.chosen);
    expect(m.metadata.get('tuned_for')).toMatch(/^onnxruntime 1\.\d+\.\d+ cpu, batch 2, 1 thread\(s\), median of 3 alternating rounds$/);
    expect(m.metadata.get('tuned_ms')).toMatch(/^split [\d.]+, concat [\d.]+, mul-add [\d.]+, no-concat [\d.]+$/);
    expect(m.metadata.get('tuned_objective')).toBe('least median time');
    expect(m.metadata.get('tuned_peak_bytes')).toBe(result.forms.map((f) => `${f.name} ${f.peakBytes}`).join(', '));
    // onnxruntime's own profile of the written file gives the peak recorded for its form.
    expect(await profiledPeak(at('tuned.onnx'), [2, 3, 32, 32])).toBe(fastest.peakBytes);

    expect(densec('compile', at('small.dense'), '-o', at('o2.onnx'), '--random-bn-stats', '--quiet').code).toBe(0);
    const input = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i));
    const [a, b] = [await probabilities(at('tuned.onnx'), input), await probabilities(at('o2.onnx'), input)];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
  });

  test('--objective memory writes the form with the least activation peak, which onnxruntime measures again in the file', async () => {
    // Six layers a block: the forms differ in what they keep live (at two, split and no-concat are one graph).
    fs.writeFileSync(at('deep.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel deep = densenet_bc(depth = 40, k = 4)\n`);
    const r = densec('tune', at('deep.dense'), '-o', at('lean.onnx'), '--runs', '3', '--batch', '4', '--objective', 'memory', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { chosen: string; objective: string; forms: { name: string; medianMs: number; peakBytes: number }[] };
    expect(result.objective).toBe('memory');
    const least = Math.min(...result.forms.map((f) => f.peakBytes));
    const chosen = result.forms.find((f) => f.name === result.chosen)!;
    expect(chosen.peakBytes).toBe(least);
    expect(result.forms.filter((f) => f.peakBytes === least).every((f) => f.medianMs >= chosen.medianMs)).toBe(true);
    const m = readModel(fs.readFileSync(at('lean.onnx')), false);
    expect(m.metadata.get('tuned_form')).toBe(result.chosen);
    expect(m.metadata.get('tuned_objective')).toBe("least activation peak in onnxruntime's CPU profile");
    expect(await profiledPeak(at('lean.onnx'), [4, 3, 32, 32])).toBe(least);
    // No Concat is left in the least-memory form, and it computes what -O2 does.
    expect(result.chosen).toBe('no-concat');
    expect(m.nodes.filter((n) => n.opType === 'Concat')).toEqual([]);
    expect(densec('compile', at('deep.dense'), '-o', at('deep-o2.onnx'), '--quiet').code).toBe(0);
    const input = Float32Array.from({ length: 4 * 3 * 32 * 32 }, (_, i) => Math.sin(i / 7));
    const [a, b] = [await probabilitiesOf(at('lean.onnx'), input, [4, 3, 32, 32]), await probabilitiesOf(at('deep-o2.onnx'), input, [4, 3, 32, 32])];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
    const text = densec('tune', at('small.dense'), '-o', at('lean2.onnx'), '--runs', '3', '--objective', 'memory');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/no-concat +[\d.]+ ms .* activation peak +[\d.]+ MiB/);
    expect(text.stdout).toContain('least activation peak in onnxruntime');
  });

  test('--objective memory needs onnxruntime on the CPU, where the peak is measured', () => {
    for (const args of [['--runtime', 'opencv'], ['--ep', 'webgpu'], ['--ep', 'auto']]) {
      const r = densec('tune', at('small.dense'), '--objective', 'memory', ...args, '-o', at('no.onnx'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--objective memory measures onnxruntime\'s activation peak on the CPU');
      expect(fs.existsSync(at('no.onnx'))).toBe(false);
    }
  });

  test('a spec with two models needs --model', () => {
    fs.writeFileSync(at('two.dense'), `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel a = densenet_bc(depth = 16, k = 4)\nmodel b = densenet_bc(depth = 16, k = 6)\n`);
    const r = densec('tune', at('two.dense'), '--runs', '3');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('D0608');
  });

  test.skipIf(providerInstalled('cuda'))('an onnxruntime provider that cannot start exits 4 with the cause and onnxruntime\'s words; nothing is written', () => {
    const r = densec('tune', at('small.dense'), '-o', at('cuda.onnx'), '--runs', '3', '--ep', 'cuda');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('D0802');
    expect(r.stderr).toContain('= detail: onnxruntime said:');
    expect(fs.existsSync(at('cuda.onnx'))).toBe(false);
  });

  test('--ep belongs to onnxruntime and --python to OpenCV', () => {
    const ep = densec('tune', at('small.dense'), '--runtime', 'opencv', '--ep', 'cpu');
    expect(ep.code).toBe(1);
    expect(ep.stderr).toContain('--ep is for --runtime onnxruntime');
    const py = densec('tune', at('small.dense'), '--python', python);
    expect(py.code).toBe(1);
    expect(py.stderr).toContain('--python is for --runtime opencv');
  });
});

describe.skipIf(noOpenCv !== undefined)(`densec tune --runtime opencv${noOpenCv ? ` (skipped: ${noOpenCv})` : ''}`, () => {
  test('measures every form in OpenCV DNN, writes the fastest with OpenCV\'s version; it computes what -O2 does', async () => {
    const r = densec('tune', at('small.dense'), '--runtime', 'opencv', '--python', python, '-o', at('cv.onnx'), '--runs', '3', '--batch', '2', '--random-bn-stats', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { chosen: string; runtime: string; forms: { name: string; medianMs: number }[] };
    expect(result.forms.map((f) => f.name)).toEqual(['split', 'concat', 'mul-add', 'no-concat']);
    expect(result.forms.every((f) => f.medianMs > 0)).toBe(true);
    expect(result.forms.some((f) => 'peakBytes' in f)).toBe(false);
    expect(result.chosen).toBe(result.forms.reduce((a, b) => (b.medianMs < a.medianMs ? b : a)).name);

    const version = spawnSync(python, ['-c', 'import cv2; print(cv2.__version__)'], { encoding: 'utf8' }).stdout.trim();
    expect(result.runtime).toBe(`OpenCV ${version} DNN cpu`);
    const m = readModel(fs.readFileSync(at('cv.onnx')));
    expect(m.metadata.get('tuned_form')).toBe(result.chosen);
    expect(m.metadata.get('tuned_for')).toBe(`OpenCV ${version} DNN cpu, batch 2, 1 thread(s), median of 3 alternating rounds`);

    expect(densec('compile', at('small.dense'), '-o', at('o2.onnx'), '--random-bn-stats', '--quiet').code).toBe(0);
    const input = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.cos(i));
    const [a, b] = [await probabilities(at('cv.onnx'), input), await probabilities(at('o2.onnx'), input)];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
  });
});

describe('densec tune --runtime opencv when OpenCV cannot serve it', () => {
  /** An executable stand-in for Python: `body` is its shell script. */
  const standIn = (name: string, body: string): string => {
    fs.writeFileSync(at(name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return at(name);
  };

  test('no such interpreter: D0807, exit 4, what to install and the system\'s words', () => {
    const r = densec('tune', at('small.dense'), '--runtime', 'opencv', '--python', at('no-such-python'), '-o', at('none.onnx'), '--runs', '3');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('D0807');
    expect(r.stderr).toContain(`\`${at('no-such-python')}\` cannot be run`);
    expect(r.stderr).toContain('pip install opencv-python-headless numpy');
    expect(r.stderr).toMatch(/= detail: the system said: .*ENOENT/);
    expect(fs.existsSync(at('none.onnx'))).toBe(false);
  });

  test('a Python without cv2: D0807 with its ImportError as the detail', () => {
    const py = standIn('python-without-cv2', `echo "ModuleNotFoundError: No module named 'cv2'" >&2; exit 1`);
    const r = densec('tune', at('small.dense'), '--runtime', 'opencv', '--python', py, '--runs', '3', '--json');
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[]; detail: string };
    expect(out.diagnostics.map((d) => d.code)).toEqual(['D0807']);
    expect(out.diagnostics[0].message).toContain('cannot import cv2 and numpy');
    expect(out.detail).toBe("ModuleNotFoundError: No module named 'cv2'");
  });

  test('a form OpenCV cannot read: D0808 names it, with OpenCV\'s message; nothing is written and no temporary file is left', () => {
    // Passes the import check; the timing script then reports the second file as OpenCV would.
    const py = standIn('python-refusing', `case "$2" in import*) exit 0;; esac\necho '{"failed": 1, "detail": "OpenCV(4.6.0) error: (-215) in function readNet"}'`);
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('densec-tune-')).length;
    const r = densec('tune', at('small.dense'), '--runtime', 'opencv', '--python', py, '-o', at('refused.onnx'), '--runs', '3');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('D0808');
    expect(r.stderr).toContain('OpenCV could not load or run the model `concat`');
    expect(r.stderr).toContain('= detail: OpenCV said: OpenCV(4.6.0) error: (-215) in function readNet');
    expect(fs.existsSync(at('refused.onnx'))).toBe(false);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('densec-tune-')).length).toBeLessThanOrEqual(before);
  });
});
