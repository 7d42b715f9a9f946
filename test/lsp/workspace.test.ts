// The language server's features in-process: what the analysis cache re-runs after a change, and
// that no text (however broken) and no position makes a feature throw.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { completion } from '../../src/lsp/complete.js';
import { inlayHints } from '../../src/lsp/hints.js';
import { hover } from '../../src/lsp/hover.js';
import { definition, references } from '../../src/lsp/navigate.js';
import { documentSymbols, formatting } from '../../src/lsp/symbols.js';
import { Workspace } from '../../src/lsp/workspace.js';
import { root } from '../e2e/cli.js';

const file = (name: string): string => path.join(root, 'specs', name);
const read = (name: string): string | undefined => {
  try {
    return fs.readFileSync(name, 'utf8');
  } catch {
    return undefined;
  }
};
const spec121 = file('densenet121.dense');
const lib = file('lib/imagenet.dense');
const cifar = file('cifar.dense');

function workspace(): Workspace {
  const ws = new Workspace({ readFile: read });
  for (const f of [spec121, lib, cifar]) ws.openDocument(f, read(f)!, 1);
  return ws;
}

describe('the analysis cache', () => {
  test('a request after no change runs no analysis and no parse', () => {
    const ws = workspace();
    ws.openAnalyses();
    const before = [ws.analysesRun, ws.parsesRun];
    hover(ws, lib, { line: 12, character: 3 });
    inlayHints(ws, lib);
    ws.openAnalyses();
    expect([ws.analysesRun, ws.parsesRun]).toEqual(before);
  });

  test('a change to a spec re-analyzes that spec only, and parses only its text', () => {
    const ws = workspace();
    ws.openAnalyses();
    const [analyses, parses] = [ws.analysesRun, ws.parsesRun];
    ws.changeDocument(spec121, read(spec121)! + '\n# edited\n', 2);
    ws.openAnalyses();
    expect([ws.analysesRun - analyses, ws.parsesRun - parses]).toEqual([1, 1]);
  });

  test('a change to a library re-analyzes it and its dependents, not the other specs', () => {
    const ws = workspace();
    ws.openAnalyses();
    const cifarAnalysis = ws.analysis(cifar);
    const analyses = ws.analysesRun;
    ws.changeDocument(lib, read(lib)!.replace('k = 32', 'k = 24'), 2);
    ws.openAnalyses();
    expect(ws.analysesRun - analyses).toBe(2);
    expect(ws.analysis(cifar)).toBe(cifarAnalysis);
    const hints = inlayHints(ws, spec121).map((h) => String(h.label));
    expect(hints[0]).not.toContain('7,978,856');
  });
});

describe('a library opened alone', () => {
  test('takes its figures from the first spec beside it or above it that uses it', () => {
    const ws = new Workspace({ readFile: read, listDir: (dir) => fs.readdirSync(dir) });
    ws.openDocument(lib, read(lib)!, 1);
    const labels = inlayHints(ws, lib).map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    expect(labels).toContain('figures of `densenet121`');
    expect(labels).toContain('64 x 56 x 56');
  });
});

describe('features on a model with its own body', () => {
  const name = file('features-scratch.dense');
  const text = 'use "lib/imagenet.dense"\n\nmodel tiny {\n  let width = 2 * 8\n  input 3 x 32 x 32\n  conv 3x3 out width\n  block 2 growth 4\n}\n';
  const ws = new Workspace({ readFile: read });
  ws.openDocument(name, text, 1);
  const lines = text.split('\n');
  const at = (line: number, word: string) => ({ line, character: lines[line].indexOf(word) });
  const markdown = (h: ReturnType<typeof hover>): string => (h?.contents as { value: string } | undefined)?.value ?? '';

  test('a `let` has its value, a statement its figures, a `use` path its file', () => {
    expect(markdown(hover(ws, name, at(5, 'width')))).toContain('= **16**');
    // A 3x3 conv from 3 to 16 channels, no bias: 3 * 16 * 9 weights.
    expect(markdown(hover(ws, name, at(5, 'conv')))).toContain(`**16 x 32 x 32** · ${3 * 16 * 9} params`);
    expect(markdown(hover(ws, name, at(0, 'lib')))).toContain('lib/imagenet.dense');
    expect(markdown(hover(ws, name, at(0, 'lib')))).toContain('brings const `theta`, family `imagenet`');
    expect(definition(ws, name, at(5, 'width'))?.range.start).toEqual(at(3, 'width'));
  });

  test('after `is "` the paper models complete', () => {
    const typing = file('claim-scratch.dense');
    const line = 'model m = imagenet(blocks = [1]) is "Dense';
    ws.openDocument(typing, `use "lib/imagenet.dense"\n${line}\n`, 1);
    const items = completion(ws, typing, { line: 1, character: line.length });
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['DenseNet-121', 'DenseNet-BC (L=100, k=12)']));
  });
});

describe('robustness', () => {
  const base = read(lib)! + read(file('blog-variant.dense'))!;
  const words = ['{', '}', '(', ')', '[', ']', '=', ',', '"', '#', '\n', ' x ', '7x7', '0', '-1', 'k', 'dense', 'block', 'family', 'model', 'use "lib/imagenet.dense"', 'is "DenseNet-121"', 'let'];
  const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 8 }), insert: fc.constantFrom(...words) });

  test('no edit and no position makes a feature throw', () => {
    const name = file('robustness-scratch.dense');
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (edits, spots) => {
        let text = base;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        const ws = new Workspace({ readFile: read });
        ws.openDocument(name, text, 1);
        const lines = text.split('\n');
        for (const spot of spots) {
          const line = spot % (lines.length + 1);
          const position = { line, character: spot % ((lines[line]?.length ?? 0) + 2) };
          hover(ws, name, position);
          definition(ws, name, position);
          references(ws, name, position, true);
          completion(ws, name, position);
        }
        inlayHints(ws, name);
        documentSymbols(ws, name);
        formatting(ws, name);
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});
