// SourceFile.offset is the inverse of SourceFile.position (the language server maps LSP positions
// to spans with it), and clamps a column past the end of its line to that line's end.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';

test('offset(position(o)) is o for every offset, and a long column stops at the line end', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'é', '😀', ' ', '\n', '\r\n'), { maxLength: 40 }), (parts) => {
      const text = parts.join('');
      const source = new SourceFile('t.dense', text);
      for (let o = 0; o <= text.length; o++) {
        const p = source.position(o);
        expect(source.offset(p.line, p.column)).toBe(o);
      }
      const lines = text.split('\n');
      const last = lines.length;
      expect(source.offset(last, Number.MAX_SAFE_INTEGER)).toBe(text.length);
      if (last > 1) expect(source.offset(1, Number.MAX_SAFE_INTEGER)).toBe(lines[0].length);
    }),
  );
});
