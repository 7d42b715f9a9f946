// Every spec parses without a diagnostic, and its AST (spans included) matches the golden file
// test/golden/ast/<path>.json. UPDATE_GOLDEN=1 rewrites the golden files.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/syntax/parse.js';

const specs = [
  ...readdirSync('specs').filter((f) => f.endsWith('.dense')).map((f) => `specs/${f}`),
  ...readdirSync('specs/lib').filter((f) => f.endsWith('.dense')).map((f) => `specs/lib/${f}`),
];

describe('every spec', () => {
  it.each(specs)('%s parses with no diagnostics and matches its golden AST', (path) => {
    const { file, diagnostics } = parse(new SourceFile(path, readFileSync(path, 'utf8')));
    expect(diagnostics).toEqual([]);
    const golden = join('test/golden/ast', `${path.replace(/^specs\//, '').replace(/\.dense$/, '')}.json`);
    const text = `${JSON.stringify(file, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
