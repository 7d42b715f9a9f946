import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../src/weights/safetensors.js';
import { renderText } from '../../src/diagnostics/render.js';

const file = 'w.safetensors';

/** A header and data assembled by hand, so that tests can write what the writer never would. */
function raw(header: unknown, data: Uint8Array = new Uint8Array(0), headerLength?: number): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

function reason(bytes: Uint8Array): string {
  const { file: read, diagnostics } = readSafetensors(bytes, file);
  expect(read).toBeUndefined();
  expect(diagnostics.map((d) => d.code)).toEqual(['D0701']);
  return diagnostics[0].message.replace(`\`${file}\` is not a valid safetensors file: `, '');
}

describe('writing and reading safetensors', () => {
  it('round-trips names, shapes, float32 values and metadata, in order', () => {
    const tensors: [string, TensorToWrite][] = [
      ['b.weight', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -1e30]) }],
      ['a.bias', { shape: [2], data: Float32Array.from([0.25, -0.5]) }],
      ['scalar', { shape: [], data: Float32Array.from([7]) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ];
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const { file: read, diagnostics } = readSafetensors(bytes, file);
    expect(diagnostics).toEqual([]);
    expect(read!.metadata).toEqual({ format: 'pt' });
    expect([...read!.tensors.keys()]).toEqual(['b.weight', 'a.bias', 'scalar', 'empty']);
    for (const [name, t] of tensors) {
      const got = read!.tensors.get(name)!;
      expect(got.dtype).toBe('F32');
      expect(got.shape).toEqual(t.shape);
      expect(got.data).toEqual('data' in t ? t.data : undefined);
    }
  });

  it('pads the header with spaces so that the data starts 8-byte aligned', () => {
    const bytes = writeSafetensors([['x', { shape: [1], data: Float32Array.from([1]) }]]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + n))).toMatch(/} *$/);
  });

  it('widens float16 and bfloat16 exactly, rounds float64, and keeps integer tensors without data', () => {
    const f16 = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x7c]); // 1, -2, 2^-24, +inf
    const bf16 = Uint8Array.from([0x80, 0x3f, 0x40, 0xc0]); // 1, -3
    const f64 = new Uint8Array(new Float64Array([0.1, -1 / 3]).buffer);
    const i64 = new Uint8Array(new BigInt64Array([7n]).buffer);
    const bytes = writeSafetensors([
      ['h', { shape: [4], dtype: 'F16', bytes: f16 }],
      ['b', { shape: [2], dtype: 'BF16', bytes: bf16 }],
      ['d', { shape: [2], dtype: 'F64', bytes: f64 }],
      ['n', { shape: [], dtype: 'I64', bytes: i64 }],
    ]);
    const t = readSafetensors(bytes, file).file!.tensors;
    expect([...t.get('h')!.data!]).toEqual([1, -2, 2 ** -24, Infinity]);
    expect([...t.get('b')!.data!]).toEqual([1, -3]);
    expect([...t.get('d')!.data!]).toEqual([Math.fround(0.1), Math.fround(-1 / 3)]);
    expect(t.get('n')).toEqual({ dtype: 'I64', shape: [], data: undefined });
  });

  it('returns arrays of its own, not views of the file bytes', () => {
    const bytes = writeSafetensors([['x', { shape: [1], data: Float32Array.from([1]) }]]);
    const data = readSafetensors(bytes, file).file!.tensors.get('x')!.data!;
    bytes.fill(0);
    expect(data[0]).toBe(1);
  });
});

describe('a malformed safetensors file is one D0701 that says what is wrong', () => {
  const four = new Uint8Array(16);
  const ok = { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] };

  it.each([
    ['fewer than 8 bytes', new Uint8Array(5), 'it has 5 bytes, fewer than the 8 of the header length'],
    ['a header length past the end', raw({ x: ok }, four, 1000), 'the header length says 1000 bytes but only'],
    ['a header that is not JSON', raw('{"x": ', four), 'the header is not JSON'],
    ['a header that is a list', raw('[1, 2]'), 'the header is not a JSON object'],
    ['a header that is not UTF-8', raw('{}').map((b, i) => (i === 8 ? 0xff : b)), 'the header is not UTF-8'],
    ['an unknown dtype', raw({ x: { ...ok, dtype: 'F8' } }, four), 'tensor `x` has an unknown dtype "F8"'],
    ['a negative dimension', raw({ x: { ...ok, shape: [-2, 2] } }, four), 'tensor `x` has a shape that is not a list'],
    ['a fractional offset', raw({ x: { ...ok, data_offsets: [0, 1.5] } }, four), '`data_offsets` that are not two'],
    ['offsets backwards', raw({ x: { ...ok, data_offsets: [16, 0] } }, four), 'tensor `x` ends (0) before it begins (16)'],
    ['data cut short', raw({ x: ok }, four.subarray(0, 12)), 'tensor `x` ends at byte 16 of a data buffer of 12 bytes'],
    ['a size that disagrees with the shape', raw({ x: { ...ok, shape: [2] } }, four), 'tensor `x` has 16 bytes, but F32 of shape [2] needs 8'],
    [
      'overlapping tensors',
      raw({ x: { ...ok, shape: [3], data_offsets: [0, 12] }, y: { ...ok, shape: [1], data_offsets: [8, 12] } }, four.subarray(0, 12)),
      'tensors `x` and `y` overlap',
    ],
    ['a hole', raw({ x: { ...ok, shape: [2], data_offsets: [8, 16] } }, four), 'bytes 0 to 8 of the data buffer belong to no tensor'],
    ['trailing bytes', raw({ x: { ...ok, shape: [2], data_offsets: [0, 8] } }, four), 'bytes 8 to 16 of the data buffer belong to no tensor'],
    ['metadata that is not strings', raw({ __metadata__: { epoch: 3 } }), '`__metadata__.epoch` is not a string'],
  ])('%s', (_, bytes, expected) => {
    expect(reason(bytes)).toContain(expected);
  });

  it('renders with the file name and how to make a valid file', () => {
    const { diagnostics } = readSafetensors(new Uint8Array(3), 'weights.bin');
    expect(renderText(diagnostics, () => undefined)).toBe(
      'error[D0701]: `weights.bin` is not a valid safetensors file: it has 3 bytes, fewer than the 8 of the header length\n' +
        '  = help: a safetensors file is an 8-byte header length, a JSON header and raw little-endian data; ' +
        'save one with `safetensors.torch.save_file(model.state_dict(), path)`\n',
    );
  });

  it('reports every truncation of a valid file', () => {
    const bytes = writeSafetensors([
      ['a', { shape: [3], data: Float32Array.from([1, 2, 3]) }],
      ['b', { shape: [1], data: Float32Array.from([4]) }],
    ]);
    for (let n = 0; n < bytes.length; n++) reason(bytes.subarray(0, n));
  });
});

describe('properties', () => {
  const tensor = fc
    .array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })
    .chain((shape) =>
      fc
        .array(fc.float({ noNaN: true }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
        .map((values) => ({ shape, data: Float32Array.from(values) })),
    );

  it('a tensor named like an Object.prototype property round-trips (the counterexample fast-check found)', () => {
    const tensors: [string, { shape: number[]; data: Float32Array }][] = [['__proto__', { shape: [], data: Float32Array.from([0]) }], ['constructor', { shape: [1], data: Float32Array.from([2]) }]];
    const read = readSafetensors(writeSafetensors(tensors), file).file!;
    expect([...read.tensors.keys()].sort()).toEqual(['__proto__', 'constructor']);
    expect(read.tensors.get('__proto__')!.data).toEqual(Float32Array.from([0]));
  });

  it('any set of float32 tensors round-trips', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((s) => s !== '__metadata__'), tensor, { maxKeys: 5 }), (dict) => {
        const read = readSafetensors(writeSafetensors(Object.entries(dict)), file).file!;
        expect(read.tensors.size).toBe(Object.keys(dict).length);
        for (const [name, t] of Object.entries(dict)) {
          expect(read.tensors.get(name)!.shape).toEqual(t.shape);
          expect(read.tensors.get(name)!.data).toEqual(t.data);
        }
      }),
    );
  });

  it('arbitrary bytes are read or reported, never thrown', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 80 }), (tail, n) => {
        const bytes = new Uint8Array(8 + tail.length);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(n), true);
        bytes.set(tail, 8);
        const { file: read, diagnostics } = readSafetensors(bytes, file);
        expect(read === undefined).toBe(diagnostics.length === 1);
      }),
    );
  });
});
