// The SHA-256 densec puts in a model's metadata: of a spec's text, and of an external data file
// as parts, some made only when written (hashedAsWritten takes the digest from the write itself
// when the parts were written in order, and must give the same digest whatever was written).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { chunks, joined, type Part } from '../../src/emit/frame.js';
import { hashedAsWritten, sha256Hex, sha256Parts } from '../../src/emit/sha256.js';

test('sha256 matches the FIPS test vectors and node:crypto', () => {
  expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (const text of ['x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'model m = f(k = 32) # é ✓\n'.repeat(40)]) {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  }
});

// Parts as bytes, or made when written (counting how often), from the same byte arrays.
const partsOf = (arrays: readonly Uint8Array[], lazy: readonly boolean[], made: number[]): Part[] =>
  arrays.map((a, i) =>
    lazy[i]
      ? {
          length: a.length,
          write: (into: Uint8Array) => {
            made[i]++;
            into.set(a);
          },
        }
      : a,
  );

const reference = (arrays: readonly Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const a of arrays) h.update(a);
  return h.digest('hex');
};

const cases = fc
  .array(fc.tuple(fc.uint8Array({ maxLength: 70 }), fc.boolean()), { maxLength: 12, size: 'max' })
  .chain((ps) => fc.tuple(fc.constant(ps), ps.length === 0 ? fc.constant([]) : fc.array(fc.nat(ps.length - 1), { maxLength: 20, size: 'max' })));

test('property: the digest is of the bytes written, whatever was written before it was asked for, in what order, how often', () => {
  fc.assert(
    fc.property(cases, ([ps, writes]) => {
      const arrays = ps.map(([a]) => a);
      const made = arrays.map(() => 0);
      const hashed = hashedAsWritten(chunks(partsOf(arrays, ps.map(([, l]) => l), made)));
      for (const i of writes) {
        const p = hashed.data.parts[i];
        const into = new Uint8Array(p.length);
        if (p instanceof Uint8Array) into.set(p);
        else p.write(into);
        expect(Buffer.from(into).equals(Buffer.from(arrays[i]))).toBe(true);
      }
      expect(hashed.hex()).toBe(reference(arrays));
      expect(sha256Parts(partsOf(arrays, ps.map(([, l]) => l), arrays.map(() => 0)))).toBe(reference(arrays));
    }),
    { numRuns: 300 },
  );
});

test('property: written in order, every part made when written is made once, for the file and its digest', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 70 }), fc.boolean()), { maxLength: 12, size: 'max' }), (ps) => {
      const arrays = ps.map(([a]) => a);
      const made = arrays.map(() => 0);
      const hashed = hashedAsWritten(chunks(partsOf(arrays, ps.map(([, l]) => l), made)));
      expect(Buffer.from(joined(hashed.data)).equals(Buffer.concat(arrays))).toBe(true);
      expect(hashed.hex()).toBe(reference(arrays));
      expect(hashed.hex()).toBe(reference(arrays));
      ps.forEach(([, lazy], i) => expect(made[i]).toBe(lazy ? 1 : 0));
    }),
    { numRuns: 300 },
  );
});
