// Text -> tokens. Lexical problems become D01 diagnostics, and the offending text is replaced by
// the token the parser would most likely want, so that parsing goes on and reports the rest.
import type { IToken, Lexer as ChevrotainLexer, TokenType } from 'chevrotain';
import { Lexer } from './chevrotain.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { span } from '../diagnostics/span.js';
import { allTokens, BadNumber, NumberLit, StringLit, UnterminatedString } from './tokens.js';

/**
 * A lexer of the token set. Chevrotain's definition checks cost a start-up ~10 ms; the shipped
 * instance skips them and test/syntax/grammar.test.ts builds one with them (`validate`).
 */
export function makeLexer(validate = false): ChevrotainLexer {
  return new Lexer(allTokens as TokenType[], { ensureOptimizations: false, positionTracking: 'full', skipValidations: !validate });
}

const lexer = makeLexer();

export interface Lexed {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function lex(file: string, text: string): Lexed {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    const bad = text.slice(e.offset, e.offset + e.length);
    diagnostics.push(diagnostic('D0101', span(file, e.offset, e.offset + e.length), { char: showChar(bad) }));
  }
  const tokens = result.tokens.map((t) => {
    const where = span(file, t.startOffset, t.startOffset + t.image.length);
    if (t.tokenType === UnterminatedString) {
      diagnostics.push(diagnostic('D0102', where));
      return retype(t, StringLit, `${t.image}"`);
    }
    if (t.tokenType === BadNumber) {
      diagnostics.push(diagnostic('D0103', where, { text: t.image, fix: fixNumber(t.image) }));
      return retype(t, NumberLit, /^\d+(?:\.\d+)?/.exec(t.image)?.[0] ?? '0');
    }
    return t;
  });
  return { tokens, comments: result.groups['comments'] ?? [], diagnostics };
}

function retype(t: IToken, type: TokenType, image: string): IToken {
  return { ...t, image, tokenType: type, tokenTypeIdx: type.tokenTypeIdx! };
}

/** The first character, spelled so it shows up in a message even when invisible. */
function showChar(s: string): string {
  const c = String.fromCodePoint(s.codePointAt(0) ?? 0x3f);
  const code = c.codePointAt(0)!;
  if (code < 0x21 || (code >= 0x7f && code <= 0xa0) || code === 0x60 || /\s/.test(c)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return c;
}

/** What the user probably meant by a malformed number. */
function fixNumber(image: string): string {
  if (image.endsWith('.')) return `write \`${image}0\` or \`${image.slice(0, -1)}\``;
  const m = /^(\d+(?:\.\d+)?(?:x\d+)*)x([A-Za-z_]\w*)$/.exec(image);
  if (m) return `separate the sizes with spaces: \`${m[1].split('x').join(' x ')} x ${m[2]}\``;
  const n = /^(\d+(?:\.\d+)?)([A-Za-z_]\w*)$/.exec(image);
  if (n) return `put a space or an operator between \`${n[1]}\` and \`${n[2]}\`, e.g. \`${n[1]} * ${n[2]}\``;
  return 'a number is digits with an optional decimal part, like `12` or `0.5`';
}
