// Parsing by declaration (src/lsp/reparse.ts) gives exactly what parse() gives, for every spec and
// after any sequence of line edits, and an edit re-parses only the declaration it touches.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { PieceParser } from '../../src/lsp/reparse.js';
import { parse } from '../../src/syntax/parse.js';
import { root } from '../e2e/cli.js';

function denseFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? denseFiles(full) : e.name.endsWith('.dense') ? [full] : [];
  });
}
const specs = denseFiles(path.join(root, 'specs'));

describe('parsing by declaration', () => {
  test.each(specs.map((f) => [path.relative(root, f)]))('%s parses as parse() parses it', (file) => {
    const source = new SourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'));
    expect(new PieceParser().parse(source)).toEqual(parse(source));
  });

  test('after any sequence of line edits, with the cache of the previous texts', () => {
    const lines = [
      'model m = imagenet(blocks = [1, 2])',
      'family g(k) {',
      '}',
      'const c = 3',
      '# a comment',
      '',
      '  conv 3x3 out 8',
      'use "lib/cifar.dense"',
      'model broken = (',
      'model t { input 3 x 8 x 8 }',
      '"unterminated',
    ];
    const start = fs.readFileSync(path.join(root, 'specs/blog-variant.dense'), 'utf8') + fs.readFileSync(path.join(root, 'specs/lib/imagenet.dense'), 'utf8');
    const edit = fc.record({ at: fc.nat(), remove: fc.boolean(), line: fc.constantFrom(...lines) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const parser = new PieceParser();
        let text = start;
        for (const e of edits) {
          const all = text.split('\n');
          const at = e.at % (all.length + 1);
          if (e.remove && all.length > 1) all.splice(Math.min(at, all.length - 1), 1);
          else all.splice(at, 0, e.line);
          text = all.join('\n');
          const source = new SourceFile('specs/edited.dense', text);
          expect(parser.parse(source)).toEqual(parse(source));
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  test('an edit inside one declaration re-parses that declaration only', () => {
    const parser = new PieceParser();
    const text = fs.readFileSync(path.join(root, 'specs/cifar.dense'), 'utf8') + fs.readFileSync(path.join(root, 'specs/lib/cifar.dense'), 'utf8');
    parser.parse(new SourceFile('a.dense', text));
    const before = parser.piecesParsed;
    const edited = text.replace('conv 3x3 pad 1 out 16', 'conv 3x3 pad 1 out 24');
    expect(parser.parse(new SourceFile('a.dense', edited))).toEqual(parse(new SourceFile('a.dense', edited)));
    expect(parser.piecesParsed - before).toBe(1);
  });
});
