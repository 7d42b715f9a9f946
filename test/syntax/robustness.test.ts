// Property tests: no input makes parse or analyze throw or hang. Arbitrary strings, and valid
// specs mutated by deleting, inserting, duplicating or swapping tokens.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/check/analyze.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lex } from '../../src/syntax/lexer.js';
import { parse } from '../../src/syntax/parse.js';

const LIMIT_MS = 1000;
const lib = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

function timed<T>(f: () => T): T {
  const start = performance.now();
  const result = f();
  expect(performance.now() - start).toBeLessThan(LIMIT_MS);
  return result;
}

const seeds = ['specs/lib/imagenet.dense', 'specs/lib/cifar.dense', 'specs/blog-variant.dense', 'specs/cifar.dense'].map((p) => ({
  path: p,
  text: readFileSync(p, 'utf8'),
}));

/** The spec cut into token texts with the whitespace between them, to mutate at token level. */
function pieces(text: string): string[] {
  const tokens = lex('m.dense', text).tokens;
  const out: string[] = [];
  let at = 0;
  for (const t of tokens) {
    out.push(text.slice(at, t.startOffset), t.image);
    at = t.startOffset + t.image.length;
  }
  out.push(text.slice(at));
  return out;
}

const vocabulary = ['model', 'family', '(', ')', '{', '}', '[', ']', ',', '=', 'x', '7x7', '0', '-1', '0.5', 'dense', 'layers', 'depth', 'bias', '"s"', '"', 'k', '/', '*', '\n', 'use', 'transition', 'block'];

const mutation = fc.record({
  seed: fc.integer({ min: 0, max: seeds.length - 1 }),
  edits: fc.array(
    fc.record({ op: fc.constantFrom('delete', 'insert', 'duplicate', 'swap'), at: fc.nat(), other: fc.nat(), word: fc.constantFrom(...vocabulary) }),
    { minLength: 1, maxLength: 4 },
  ),
});

function mutate({ seed, edits }: { seed: number; edits: Array<{ op: string; at: number; other: number; word: string }> }): string {
  const parts = pieces(seeds[seed].text);
  for (const e of edits) {
    const i = 1 + 2 * (e.at % Math.max(1, (parts.length - 1) / 2)); // token positions are odd
    const j = 1 + 2 * (e.other % Math.max(1, (parts.length - 1) / 2));
    if (i >= parts.length) continue;
    if (e.op === 'delete') parts[i] = '';
    if (e.op === 'insert') parts[i] = `${parts[i]} ${e.word} `;
    if (e.op === 'duplicate') parts[i] = `${parts[i]} ${parts[i]}`;
    if (e.op === 'swap' && j < parts.length) [parts[i], parts[j]] = [parts[j], parts[i]];
  }
  return parts.join('');
}

describe('robustness', () => {
  it('parse never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, size: 'max' }), (text) => {
        const r = timed(() => parse(new SourceFile('any.dense', text)));
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('analyze never throws on arbitrary text in the language\'s alphabet', () => {
    const chars = fc.constantFrom(...'abkx019 .,=()[]{}+-*/#"\n'.split(''), ' model ', ' family ', ' dense ', ' use ');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 120, size: 'max' }).map((a) => a.join('')), (text) => {
        timed(() => analyze(new SourceFile('specs/any.dense', text), lib));
      }),
      { numRuns: 300 },
    );
  });

  it('parse and analyze never throw on mutated specs, and report errors as diagnostics', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const text = mutate(m);
        const source = new SourceFile(seeds[m.seed].path, text);
        timed(() => parse(source));
        const r = timed(() => analyze(source, lib));
        for (const d of r.diagnostics) expect(d.code).toMatch(/^D0[1-49]\d\d$/);
      }),
      { numRuns: 250 },
    );
  });
});
