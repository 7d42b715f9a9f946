import { describe, expect, it } from 'vitest';
import { lex } from '../../src/syntax/lexer.js';

const kinds = (text: string) => lex('t.dense', text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer', () => {
  it('reads a size like 7x7 as one token, and `x` between spaced sizes as a keyword', () => {
    expect(kinds('7x7 3x224x224')).toEqual(['DimsLit:7x7', 'DimsLit:3x224x224']);
    expect(kinds('3 x size x size')).toEqual(['Number:3', 'X:x', 'Identifier:size', 'X:x', 'Identifier:size']);
  });

  it('gives way to identifiers that start with a keyword', () => {
    expect(kinds('block blocks x xs dropout dropouts')).toEqual([
      'Block:block', 'Identifier:blocks', 'X:x', 'Identifier:xs', 'Dropout:dropout', 'Identifier:dropouts',
    ]);
  });

  it('reads integers and decimals, and keeps comments aside', () => {
    const r = lex('t.dense', 'const theta = 0.5 # half\n');
    expect(r.tokens.map((t) => t.image)).toEqual(['const', 'theta', '=', '0.5']);
    expect(r.comments.map((t) => t.image)).toEqual(['# half']);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports an unexpected character with its span (D0101)', () => {
    const r = lex('t.dense', 'bn $ relu');
    expect(r.diagnostics.map((d) => [d.code, d.span?.start, d.span?.end, d.message])).toEqual([['D0101', 3, 4, 'unexpected character `$`']]);
  });

  it('spells invisible characters as code points', () => {
    expect(lex('t.dense', 'bn\u00a0relu').diagnostics[0].message).toBe('unexpected character `U+00A0`');
  });

  it('reports an unterminated string (D0102) and still gives the parser a string', () => {
    const r = lex('t.dense', 'use "lib/a.dense\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['D0102']);
    expect(r.tokens[1].tokenType.name).toBe('String');
  });

  it('reports numbers run into letters (D0103) with a fix', () => {
    const r = lex('t.dense', '12ab 3xsize 1.');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['D0103', 'D0103', 'D0103']);
    expect(r.diagnostics[1].help).toBe('separate the sizes with spaces: `3 x size`');
    expect(r.tokens.map((t) => t.tokenType.name)).toEqual(['Number', 'Number', 'Number']);
  });
});
