// specs/invalid/D05*.dense: each file's first line names the code lowering must report
// (`# expect: D05xx`); the rendered diagnostics are its .txt golden (UPDATE_GOLDEN=1 rewrites).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { analyze } from '../../src/check/analyze.js';
import { renderText, sourcesOf } from '../../src/diagnostics/render.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lower } from '../../src/ir/lower.js';
import { root } from './specs.js';

const dir = path.join(root, 'specs/invalid');
const files = fs.readdirSync(dir).filter((f) => /^D05.*\.dense$/.test(f)).sort();
const read = (name: string): string | undefined => {
  try {
    return fs.readFileSync(path.join(root, name), 'utf8');
  } catch {
    return undefined;
  }
};

test('there is a file for every D05 code', async () => {
  const { catalog } = await import('../../src/diagnostics/catalog.js');
  const codes = Object.keys(catalog).filter((c) => c.startsWith('D05'));
  expect(new Set(files.map((f) => f.slice(0, 5)))).toEqual(new Set(codes));
});

test.each(files)('%s', (file) => {
  const name = `specs/invalid/${file}`;
  const text = read(name)!;
  const expected = /^# expect: (D\d{4})/.exec(text)?.[1];
  expect(expected, 'the first line must be `# expect: D05xx`').toBeDefined();
  const analyzed = analyze(new SourceFile(name, text), read);
  expect(analyzed.diagnostics, 'semantic checks must accept it: the error is lowering\'s').toEqual([]);
  const diagnostics = analyzed.models.flatMap((m) => lower(m).diagnostics);
  expect(diagnostics.map((d) => d.code)).toEqual([expected]);

  const rendered = renderText(diagnostics, sourcesOf(analyzed.sources));
  const golden = path.join(dir, file.replace(/\.dense$/, '.txt'));
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, rendered);
  expect(fs.existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(rendered).toBe(fs.readFileSync(golden, 'utf8'));
});
