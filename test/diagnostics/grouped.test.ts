import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grouped } from '../../src/diagnostics/grouped.js';

describe('grouped numbers', () => {
  it('writes every safe integer as toLocaleString("en-US") does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(0, 999, 1000, -1000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER)), (n) => {
        expect(grouped(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves fractions and non-finite values to toLocaleString', () => {
    for (const x of [0.5, 1234.5678, NaN, Infinity, -Infinity, 2 ** 60]) expect(grouped(x)).toBe(x.toLocaleString('en-US'));
  });
});
