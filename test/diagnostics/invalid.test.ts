// One file per user error: specs/invalid/<name>.dense starts with `# expect: D0xxx`, must
// produce that code, and its rendered diagnostics must match specs/invalid/<name>.txt
// (UPDATE_GOLDEN=1 rewrites them). D05 codes come from lowering (src/ir/lower.ts), run on
// each model that analysis accepts. Every catalog code in D01-D05 has at least one such file.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/check/analyze.js';
import { catalog } from '../../src/diagnostics/catalog.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderText, sourcesOf } from '../../src/diagnostics/render.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { ModelSpec } from '../../src/check/spec.js';

const folder = 'specs/invalid';
const files = readdirSync(folder).filter((f) => f.endsWith('.dense')).sort();
const lowerPath = 'src/ir/lower.ts';

type Lower = (spec: ModelSpec) => { diagnostics: Diagnostic[] };
async function loadLower(): Promise<Lower | undefined> {
  if (!existsSync(lowerPath)) return undefined;
  const module = (await import(/* @vite-ignore */ `../../${lowerPath}`)) as { lower?: Lower };
  return module.lower;
}

function readSpec(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function expectedCode(text: string): string {
  return /^# expect: (D\d{4})/.exec(text)?.[1] ?? 'missing `# expect: D0xxx` on the first line';
}

describe('specs/invalid', () => {
  it.each(files)('%s reports its expected code, rendered as in its .txt', async (name) => {
    const path = `${folder}/${name}`;
    const text = readFileSync(path, 'utf8');
    const code = expectedCode(text);
    const analysis = analyze(new SourceFile(path, text), readSpec);
    const diagnostics = [...analysis.diagnostics];
    if (code.startsWith('D05')) {
      const lower = await loadLower();
      if (lower) for (const model of analysis.models) diagnostics.push(...lower(model).diagnostics);
    }
    if (code.startsWith('D05') && !existsSync(lowerPath)) return; // lowering not written yet
    expect(diagnostics.map((d) => d.code)).toContain(code);
    const rendered = renderText(diagnostics, sourcesOf(analysis.sources));
    const golden = path.replace(/\.dense$/, '.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, rendered);
    expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered).toBe(readFileSync(golden, 'utf8'));
  });

  it('has a file for every code in D01-D05', () => {
    const covered = new Set(files.map((f) => expectedCode(readFileSync(`${folder}/${f}`, 'utf8'))));
    const wanted = Object.keys(catalog).filter((c) => /^D0[1-5]/.test(c));
    const missing = wanted.filter((c) => !covered.has(c) && !(c.startsWith('D05') && !existsSync(lowerPath)));
    expect(missing).toEqual([]);
  });
});

describe('rendered diagnostics', () => {
  it('show file:line:col, the line, a caret under the span and one help line', () => {
    const path = `${folder}/compression-range.dense`;
    const analysis = analyze(new SourceFile(path, readFileSync(path, 'utf8')), readSpec);
    expect(renderText(analysis.diagnostics, sourcesOf(analysis.sources))).toBe(
      [
        'error[D0411]: compression must be in (0, 1], found 1.5',
        ' --> specs/invalid/compression-range.dense:5:45',
        '  |',
        '5 |   dense layers [4, 4] growth 12 compression 1.5',
        '  |                                             ^^^ a transition keeps floor(theta * m) of its m channels',
        '  = help: DenseNet-C uses 0.5; write 1 for no compression',
        '',
      ].join('\n'),
    );
  });
});
