// The WebAssembly draw loops (src/ir/draw-wasm.ts) against their definition, the JavaScript loops
// of Rng: the same float32 bytes and the same generator state after, for any seed, stream, length
// (across the module's chunk boundary), deviation and range.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CHUNK, drawKernel, drawModuleBytes, zigguratR } from '../../src/ir/draw-wasm.js';
import { Rng } from '../../src/ir/weights.js';

const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const length = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: CHUNK - 40, max: CHUNK + 40 }));
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const stream = fc.string({ maxLength: 12 });

describe('the draw module', () => {
  test('is valid WebAssembly and instantiates here, so the tests below compare it and not the fallback', () => {
    expect(WebAssembly.validate(drawModuleBytes())).toBe(true);
    expect(drawKernel({ kn: new Float64Array(128), wn: new Float64Array(128), fn: new Float64Array(128) })).not.toBeNull();
  });

  test('fillNormal writes the bytes of the JavaScript ziggurat and leaves the same state', () => {
    fc.assert(
      fc.property(seed, stream, length, fc.double({ min: 1e-3, max: 10, noNaN: true }), (s, name, n, std) => {
        const [fast, slow] = [new Float32Array(n), new Float32Array(n)];
        const [a, b] = [new Rng(s, name), new Rng(s, name)];
        a.fillNormal(fast, std);
        b.fillNormalLoop(slow, std);
        expect(bytes(fast).equals(bytes(slow))).toBe(true);
        expect(a.nextU32()).toBe(b.nextU32());
      }),
      { numRuns: 60 },
    );
  });

  test('fillRange writes the bytes of the JavaScript uniforms and leaves the same state', () => {
    fc.assert(
      fc.property(seed, stream, length, fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ min: 1e-6, max: 8, noNaN: true }), (s, name, n, lo, width) => {
        const [fast, slow] = [new Float32Array(n), new Float32Array(n)];
        const [a, b] = [new Rng(s, name), new Rng(s, name)];
        a.fillRange(fast, lo, lo + width);
        b.fillRangeLoop(slow, lo, lo + width);
        expect(bytes(fast).equals(bytes(slow))).toBe(true);
        expect(a.nextU32()).toBe(b.nextU32());
      }),
      { numRuns: 60 },
    );
  });

  test('draws outside their layer (wedges, tails, redraws) take the values of the JavaScript ones', () => {
    // 400,000 draws hold about 4,800 wedge or tail draws; the tail's values exceed 3.4426.
    const [fast, slow] = [new Float32Array(400_000), new Float32Array(400_000)];
    new Rng(3, 'z').fillNormal(fast, 1);
    new Rng(3, 'z').fillNormalLoop(slow, 1);
    expect(fast.some((x) => Math.abs(x) > zigguratR)).toBe(true);
    expect(bytes(fast).equals(bytes(slow))).toBe(true);
  });
});
