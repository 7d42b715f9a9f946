// Bad input of every kind, for the files densec reads besides specs: weights files (safetensors
// and ONNX), ONNX models given to `run`, and images. Every file is generated here (none is
// committed). Each must give a diagnostic that names the file and the problem and an exit code
// other than 70, within the time limit of the run, with no stack trace, nothing written, and a good
// output file left as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { editModel } from '../../src/emit/decode.js';
import { compile } from '../../src/index.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { encodePng, syntheticPhoto } from '../image/fixtures.js';
import { stateDictFor } from '../weights/helpers.js';
import { spawnSync } from 'node:child_process';
import { root } from './cli.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);
const spec = `use "${path.join(root, 'specs/lib/cifar.dense')}"\nmodel small = densenet_bc(depth = 16, k = 4)\n`;
const imagenetSpec = `use "${path.join(root, 'specs/lib/imagenet.dense')}"\nmodel tiny = imagenet(blocks = [2, 2], k = 8, size = 64)\n`;
const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);
const encoder = new TextEncoder();

/** A safetensors file from a header object and a data buffer, with a header length that may lie. */
function rawSafetensors(header: unknown, data: Uint8Array, claimedLength?: bigint): Uint8Array {
  const head = encoder.encode(JSON.stringify(header));
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, claimedLength ?? BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

/** Runs densec with a time limit of 30 s; a run killed by it has status null and fails the test. */
function densec(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/densec.js', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectRefusal(r: ReturnType<typeof densec>, file: string, message: RegExp): void {
  expect(r.code, r.stderr).not.toBeNull();
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code, r.stderr).not.toBe(70);
  expect(r.stderr).toContain(path.basename(file));
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at .+[(:]\d+/m);
  expect(r.stderr).not.toContain('internal error');
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-bad-files-'));
  fs.writeFileSync(at('small.dense'), spec);
  fs.writeFileSync(at('tiny.dense'), imagenetSpec);
  const small = compile(spec, { fileName: at('small.dense'), readFile, optLevel: 0 });
  const dict = stateDictFor(small.graph!, 5);
  const floats = new Map([...dict].filter(([, t]) => t.data).map(([k, t]) => [k, { shape: t.shape, data: t.data! }]));
  fs.writeFileSync(at('good.safetensors'), writeSafetensors(floats));
  fs.writeFileSync(at('small.onnx'), small.model!);
  const tiny = compile(imagenetSpec, { fileName: at('tiny.dense'), readFile, optLevel: 0 });
  fs.writeFileSync(at('tiny.onnx'), tiny.model!);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('weights files that are not what they claim', () => {
  const f32 = (n: number) => new Uint8Array(n * 4);
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['truncated.safetensors', () => fs.readFileSync(at('good.safetensors')).subarray(0, 5000), /error\[D0701\].*(truncated|ends at byte)/],
    ['header-beyond.safetensors', () => rawSafetensors({}, new Uint8Array(0), 1n << 40n), /error\[D0701\].*header length says 1099511627776 bytes/],
    ['offsets-outside.safetensors', () => rawSafetensors({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32(2)), /error\[D0701\].*ends at byte 16 of a data buffer of 8 bytes/],
    [
      'overlapping.safetensors',
      () => rawSafetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)),
      /error\[D0701\].*overlap/,
    ],
    ['dtype.safetensors', () => rawSafetensors({ a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)), /error\[D0701\].*unknown dtype "F8_E4M3"/],
    [
      'overflow.safetensors',
      () => rawSafetensors({ a: { dtype: 'F32', shape: [2 ** 40, 2 ** 40, 2 ** 40], data_offsets: [0, 4] } }, f32(1)),
      /error\[D0701\].*more elements than any file can hold/,
    ],
    ['empty.safetensors', () => new Uint8Array(0), /error\[D0701\].*0 bytes/],
    ['random.onnx', () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /error\[D070[78]\]/],
    ['truncated.onnx', () => fs.readFileSync(at('small.onnx')).subarray(0, 3000), /error\[D0707\].*(truncated|end)/],
  ];

  test.each(cases)('%s as --weights: a diagnostic, exit 2, and the good output file left as it was', (name, make, message) => {
    fs.writeFileSync(at(name), make());
    fs.copyFileSync(at('small.onnx'), at('kept.onnx'));
    const before = fs.readFileSync(at('kept.onnx'));
    const r = densec('compile', at('small.dense'), '--weights', at(name), '-o', at('kept.onnx'));
    expectRefusal(r, name, message);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(at('kept.onnx')).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('NaN and infinite values: a warning naming the tensor, refused with --strict', () => {
    const dict = stateDictFor(compile(spec, { fileName: at('small.dense'), readFile, optLevel: 0 }).graph!, 5);
    const floats = new Map([...dict].filter(([, t]) => t.data).map(([k, t]) => [k, { shape: t.shape, data: new Float32Array(t.data!) }]));
    floats.get('features.conv0.weight')!.data.set([NaN, Infinity, -Infinity], 0);
    fs.writeFileSync(at('nan.safetensors'), writeSafetensors(floats));
    const strict = densec('compile', at('small.dense'), '--weights', at('nan.safetensors'), '--strict', '-o', at('nan.onnx'));
    expectRefusal(strict, 'nan.safetensors', /error\[D0731\]: 1 tensor\(s\) of `nan\.safetensors` hold NaN or infinite values: `features\.conv0\.weight` \(3\)/);
    expect(fs.existsSync(at('nan.onnx'))).toBe(false);
    const warned = densec('compile', at('small.dense'), '--weights', at('nan.safetensors'), '-o', at('nan.onnx'));
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/warning\[D0730\]: 1 tensor\(s\) of `nan\.safetensors` hold NaN or infinite values: `features\.conv0\.weight` \(3\)/);
  });
  test.each([
    ['random.onnx', /error\[D0633\]/],
    ['truncated.onnx', /error\[D0633\]/],
    ['empty.onnx', /error\[D0633\]/],
  ])('%s: not a valid ONNX model (exit 2)', (name, message) => {
    if (name === 'empty.onnx') fs.writeFileSync(at(name), new Uint8Array(0));
    else if (!fs.existsSync(at(name))) fs.writeFileSync(at(name), name === 'random.onnx' ? Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24) : fs.readFileSync(at('small.onnx')).subarray(0, 3000));
    const r = densec('run', at(name));
    expectRefusal(r, name, message);
    expect(r.code).toBe(2);
  });

  test.each([['../../../../etc/passwd'], ['/etc/passwd'], ['sub/../../outside.data']])('external data at `%s`, outside the model\'s folder, is refused before onnxruntime reads it', (location) => {
    const bytes = editModel(fs.readFileSync(at('small.onnx')), (m) => {
      const t = m.graph!.initializer![0];
      t.rawData = new Uint8Array(0);
      t.dataLocation = 1; // EXTERNAL
      t.externalData = [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: '64' }] as typeof t.externalData;
    });
    fs.mkdirSync(at('models'), { recursive: true });
    fs.writeFileSync(at('models/escape.onnx'), bytes);
    const r = densec('run', at('models/escape.onnx'));
    expectRefusal(r, 'escape.onnx', /error\[D0860\]: `.*escape\.onnx` keeps initializer `.*` in `.*`, outside the model's folder/);
    expect(r.code).toBe(2);
  });

  test('a symbolic link beside the model that points outside is refused too', () => {
    fs.mkdirSync(at('linked'), { recursive: true });
    fs.writeFileSync(at('secret.data'), new Uint8Array(64));
    if (!fs.existsSync(at('linked/w.data'))) fs.symlinkSync(at('secret.data'), at('linked/w.data'));
    const bytes = editModel(fs.readFileSync(at('small.onnx')), (m) => {
      const t = m.graph!.initializer![0];
      t.rawData = new Uint8Array(0);
      t.dataLocation = 1;
      t.externalData = [{ key: 'location', value: 'w.data' }] as typeof t.externalData;
    });
    fs.writeFileSync(at('linked/m.onnx'), bytes);
    expectRefusal(densec('run', at('linked/m.onnx')), 'm.onnx', /error\[D0860\]/);
  });
});

describe('images that are not images', () => {
  const png = () => encodePng(120, 90, syntheticPhoto(120, 90, 3), 6);
  /** A PNG whose header claims `w` x `h` pixels, with a correct CRC, and a little data after it. */
  function claimingPng(w: number, h: number): Uint8Array {
    const bytes = new Uint8Array(png());
    const view = new DataView(bytes.buffer);
    view.setUint32(16, w);
    view.setUint32(20, h);
    view.setUint32(29, crc32(bytes.subarray(12, 29)));
    return bytes;
  }
  const cases: [string, () => Uint8Array | string, RegExp][] = [
    ['truncated.jpg', () => fs.readFileSync(path.join(dir, 'photo.jpg')).subarray(0, 900), /error\[D0752\]: cannot decode `.*truncated\.jpg` as JPEG: /],
    ['zero.jpg', () => new Uint8Array(0), /error\[D0751\]: `.*zero\.jpg` is not a PNG, JPEG or WebP image/],
    // The pixel limit is read from the PNG header before decoding (src/cli/limits.ts).
    ['huge.png', () => claimingPng(100_000, 100_000), /error\[D0630\]: decoding `.*huge\.png` \(100000x100000\) needs 10,000,000,000 pixels in an image, more than the limit of 178,956,970/],
    ['text.png', () => 'this is not a picture\n', /error\[D0751\]: `.*text\.png` is not a PNG, JPEG or WebP image/],
    ['truncated.png', () => png().subarray(0, 300), /error\[D0752\]: cannot decode `.*truncated\.png` as PNG: /],
  ];

  test.each(cases)('%s: a diagnostic naming the file, exit 2', async (name, make, message) => {
    // A JPEG as sharp writes it: the truncated case cuts it in its entropy-coded data.
    if (!fs.existsSync(at('photo.jpg'))) {
      const sharp = (await import('sharp')).default;
      fs.writeFileSync(at('photo.jpg'), await sharp(Buffer.from(syntheticPhoto(120, 90, 3)), { raw: { width: 120, height: 90, channels: 4 } }).jpeg({ quality: 90 }).toBuffer());
    }
    fs.writeFileSync(at(name), make());
    const r = densec('run', at('tiny.dense'), '--input', at(name));
    expectRefusal(r, name, message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

/** CRC-32 (PNG's, ISO 3309) of `bytes`. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
