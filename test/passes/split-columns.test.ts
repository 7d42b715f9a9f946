// splitColumns cuts a weight into column ranges: in place (the weight is being released) or as
// copies, always the values sliceRows gives, and in place without a byte of new memory.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sliceRows, splitColumns } from '../../src/passes/pass.js';

const layout = fc
  .record({ rows: fc.integer({ min: 1, max: 9 }), widths: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }) })
  .map(({ rows, widths }) => {
    const bounds = [0];
    for (const w of widths) bounds.push(bounds[bounds.length - 1] + w);
    return { rows, widths, bounds, width: bounds[bounds.length - 1] };
  });

describe('splitColumns', () => {
  it('gives each range the values of the naive row-by-row slice, in place or copied', () => {
    fc.assert(
      fc.property(layout, fc.boolean(), ({ rows, widths, bounds, width }, consume) => {
        const values = Float32Array.from({ length: rows * width }, (_, i) => i + 0.5);
        const tensor = { shape: [rows, width], data: values.slice() };
        const parts = splitColumns(tensor, rows, bounds, widths.map((w) => [rows, w]), consume);
        parts.forEach((p, i) => {
          const expected: number[] = [];
          for (let r = 0; r < rows; r++) for (let c = bounds[i]; c < bounds[i + 1]; c++) expected.push(values[r * width + c]);
          expect(Array.from(p.data!)).toEqual(expected);
          expect(p.shape).toEqual([rows, widths[i]]);
          expect(Array.from(p.data!)).toEqual(Array.from(sliceRows({ shape: [rows, width], data: values }, rows, bounds[i], bounds[i + 1], [rows, widths[i]]).data!));
          // In place: views of the released tensor's own buffer; copied: the tensor untouched.
          if (consume) expect(p.data!.buffer).toBe(tensor.data.buffer);
          else expect(p.data!.buffer).not.toBe(tensor.data.buffer);
        });
        if (!consume) expect(Array.from(tensor.data)).toEqual(Array.from(values));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves missing data missing', () => {
    const parts = splitColumns({ shape: [2, 3], data: undefined }, 2, [0, 1, 3], [[2, 1], [2, 2]], true);
    expect(parts.map((p) => p.data)).toEqual([undefined, undefined]);
  });
});
