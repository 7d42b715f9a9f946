// grammar/dense.ebnf and the parser name the same rules, and the diagrams use local resources.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeLexer } from '../../src/syntax/lexer.js';
import { DenseParser, parser } from '../../src/syntax/parser.js';

describe("Chevrotain's definition checks, which the shipped lexer and parser skip at start-up", () => {
  it('find nothing wrong with the token set', () => {
    expect(makeLexer(true).lexerDefinitionErrors).toEqual([]);
  });

  it('find no ambiguity, left recursion or other grammar error (they throw if they do)', () => {
    expect(() => new DenseParser(true)).not.toThrow();
    expect(Object.keys(new DenseParser(true).getGAstProductions()).sort()).toEqual(Object.keys(parser.getGAstProductions()).sort());
  });
});

describe('grammar/dense.ebnf', () => {
  it('has one rule per parser rule, no more, no fewer', () => {
    const ebnf = readFileSync('grammar/dense.ebnf', 'utf8').replace(/\(\*[\s\S]*?\*\)/g, '');
    const rules = [...ebnf.matchAll(/^(\w+)\s*=/gm)].map((m) => m[1]).sort();
    expect(rules).toEqual(Object.keys(parser.getGAstProductions()).sort());
  });

  it('generated diagrams, if present, load nothing from the network', () => {
    if (!existsSync('grammar/diagrams.html')) return;
    expect(readFileSync('grammar/diagrams.html', 'utf8')).not.toMatch(/(src|href)='https?:/);
  });
});
