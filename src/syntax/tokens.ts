// The tokens of .dense. Keywords are matched before Identifier and give way to it when the word
// goes on (`blocks` is a name, `block` a keyword). Comments are kept in their own group so the
// formatter can put them back. A few tokens exist only to report a precise lexical error
// (an unterminated string, a number glued to letters); lexer.ts turns them into diagnostics.
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

function keyword(word: string): TokenType {
  return createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier });
}

// Declarations.
export const Use = keyword('use');
export const Const = keyword('const');
export const Family = keyword('family');
export const Model = keyword('model');
export const Is = keyword('is');
export const Like = keyword('like');
// Statements.
export const Input = keyword('input');
export const Conv = keyword('conv');
export const Maxpool = keyword('maxpool');
export const Avgpool = keyword('avgpool');
export const Global = keyword('global');
export const Bn = keyword('bn');
export const Relu = keyword('relu');
export const Softmax = keyword('softmax');
export const Dropout = keyword('dropout');
export const Linear = keyword('linear');
export const Dense = keyword('dense');
export const Block = keyword('block');
export const Transition = keyword('transition');
export const Let = keyword('let');
/** The `x` of `3 x size x size`. */
export const X = keyword('x');

/** `12abc`, `1.`, `3xsize`: a number run into letters, or a point with no digits after it. */
export const BadNumber = createToken({
  name: 'BadNumber',
  pattern: /\d+(?:\.\d+)?(?:x\d+)*[A-Za-z_][A-Za-z0-9_]*|\d+\.(?!\d)/,
});
/** `7x7`, `3x224x224`: one token, so that `x` between digits needs no spaces. */
export const DimsLit = createToken({ name: 'DimsLit', pattern: /\d+(?:x\d+)+/, longer_alt: BadNumber });
export const NumberLit = createToken({ name: 'Number', pattern: /\d+(?:\.\d+)?/, longer_alt: BadNumber });

export const StringLit = createToken({ name: 'String', pattern: /"[^"\n]*"/ });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"[^"\n]*/ });

export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const LBrace = createToken({ name: 'LBrace', pattern: '{' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Equals = createToken({ name: 'Equals', pattern: '=' });
export const Plus = createToken({ name: 'Plus', pattern: '+' });
export const Minus = createToken({ name: 'Minus', pattern: '-' });
export const Star = createToken({ name: 'Star', pattern: '*' });
export const Slash = createToken({ name: 'Slash', pattern: '/' });

export const keywords: readonly TokenType[] = [
  Use, Const, Family, Model, Is, Like,
  Input, Conv, Maxpool, Avgpool, Global, Bn, Relu, Softmax, Dropout, Linear, Dense, Block, Transition, Let,
  X,
];

/** Keywords that begin a statement: a line that starts with one starts a new statement. */
export const statementKeywords: readonly TokenType[] = [
  Input, Conv, Maxpool, Avgpool, Bn, Relu, Softmax, Dropout, Linear, Dense, Block, Transition, Let,
];

/** In matching order: literals that start with digits before Number, keywords before Identifier. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  StringLit,
  UnterminatedString,
  DimsLit,
  NumberLit,
  BadNumber,
  ...keywords,
  Identifier,
  LParen, RParen, LBrace, RBrace, LBracket, RBracket, Comma, Equals, Plus, Minus, Star, Slash,
];

/** How a token kind reads in a message: `)`, a number, a name. */
export const describe: ReadonlyMap<TokenType, string> = new Map<TokenType, string>([
  [Identifier, 'a name'],
  [NumberLit, 'a number'],
  [DimsLit, 'a size like `3x3`'],
  [StringLit, 'a string'],
  ...keywords.map((k): [TokenType, string] => [k, `\`${String(k.PATTERN).slice(1, -1)}\``]),
  ...[LParen, RParen, LBrace, RBrace, LBracket, RBracket, Comma, Equals, Plus, Minus, Star, Slash].map(
    (t): [TokenType, string] => [t, `\`${String(t.PATTERN)}\``],
  ),
]);
