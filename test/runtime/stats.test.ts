import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { median, quantile } from '../../src/runtime/stats.js';

describe('the median the bench, run --repeat and tune print', () => {
  test('splits the timings in halves, and is the mean of the middle two for an even count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 40 }), (xs) => {
        const m = median(xs);
        expect(2 * xs.filter((x) => x <= m).length).toBeGreaterThanOrEqual(xs.length);
        expect(2 * xs.filter((x) => x >= m).length).toBeGreaterThanOrEqual(xs.length);
        const s = [...xs].sort((a, b) => a - b);
        if (xs.length % 2 === 0) expect(m).toBe((s[xs.length / 2 - 1] + s[xs.length / 2]) / 2);
        expect(quantile(xs, 0)).toBe(s[0]);
        expect(quantile(xs, 1)).toBe(s[s.length - 1]);
      }),
    );
  });
});
