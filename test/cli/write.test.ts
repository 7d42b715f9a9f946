// writeParts (src/cli/write.ts) writes a model's parts with writev, 1,024 at a time: the file is
// their concatenation, whatever their number and sizes (empty parts, batches that end mid-model),
// with parts made as they are written (deferred weights) made into a reused pool between them.
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileAtomic, writeParts } from '../../src/cli/write.js';
import { chunks, joined as joinedParts, type LazyPart, type Part } from '../../src/emit/frame.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-write-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const joined = (parts: readonly Uint8Array[]): Buffer => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));

// Views into one buffer at offsets, as the emitter's parts are (weights inside their tensors).
const part = fc.oneof(fc.uint8Array({ maxLength: 40, size: 'max' }), fc.uint8Array({ minLength: 1000, maxLength: 5000 })).chain((bytes) =>
  fc.nat(bytes.length).map((from) => bytes.subarray(from)),
);

// A part made when written: `length` bytes counting from `from`, checking it is given exactly its length.
const lazy = (length: number, from: number): LazyPart => ({
  length,
  write(into) {
    if (into.length !== length) throw new Error(`given ${into.length} bytes for ${length}`);
    for (let i = 0; i < length; i++) into[i] = (from + i * 7) & 255;
  },
});

// Sizes around the pool's 1 MiB, so that batches flush before the pool is reused and the pool grows.
const lazyPart = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.nat(300), fc.nat(255)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: (1 << 20) - 100, max: (1 << 20) + 100 }), fc.nat(255)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 200_000, max: 700_000 }), fc.nat(255)) },
).map(([n, from]) => lazy(n, from));

/** What writeParts leaves in a new file named `name`. */
function written(name: string, parts: readonly Part[]): Buffer {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  try {
    writeParts(fd, parts);
  } finally {
    fs.closeSync(fd);
  }
  return fs.readFileSync(file);
}

describe('writeParts', () => {
  test('the file is the parts joined, across writev batches of 1,024', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 2600, size: 'max' }), (parts) => {
        expect(written('parts.bin', parts).equals(joined(parts))).toBe(true);
      }),
      { numRuns: 10 },
    );
  });

  test('with parts made as they are written, mixed in: the file is every part made and joined', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 10, arbitrary: part as fc.Arbitrary<Part> }, { weight: 1, arbitrary: lazyPart }), { maxLength: 2600, size: 'max' }), (parts) => {
        expect(written('lazy.bin', parts).equals(Buffer.from(joinedParts(chunks(parts))))).toBe(true);
      }),
      { numRuns: 10 },
    );
  });

  test('after what is already at the position', () => {
    const file = path.join(dir, 'after.bin');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'head');
    writeParts(fd, [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)]);
    fs.closeSync(fd);
    expect([...fs.readFileSync(file)]).toEqual([...Buffer.from('head'), 1, 2, 3]);
  });

  test('writeFileAtomic of parts: the joined bytes, and no temporary left', () => {
    const parts = Array.from({ length: 3000 }, (_, i) => Uint8Array.of(i & 255, i >> 8));
    const target = path.join(dir, 'model.onnx');
    writeFileAtomic(target, { parts });
    expect(fs.readFileSync(target).equals(joined(parts))).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
