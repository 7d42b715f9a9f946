// Limits on the size of one expression, checked on the tokens before parsing: the parser, the
// checker's walks and the evaluator recurse once per nesting level and once per operator (a
// sum is a left-nested tree), so an unbounded expression would overflow the stack. Both limits
// are orders of magnitude past any real spec (the zoo nests 2 deep and has at most 1 operator per expression).
import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { span } from '../diagnostics/span.js';
import { LBracket, LParen, Minus, Plus, RBracket, RParen, Slash, Star } from './tokens.js';

/** Parentheses and list brackets open at once. */
export const maxNesting = 100;
/** Operators (`+ - * /`) in one line, or in one bracketed expression that spans lines. */
export const maxOperators = 1000;

const operators = new Set([Plus, Minus, Star, Slash]);

/** D0230 at the bracket that opens one level too many, D0231 at the operator one too many. */
export function expressionLimits(file: string, tokens: readonly IToken[]): Diagnostic[] {
  let depth = 0;
  let count = 0;
  let line = -1;
  for (const t of tokens) {
    if (depth === 0 && t.startLine !== line) count = 0;
    line = t.endLine ?? line;
    const where = () => span(file, t.startOffset, t.startOffset + t.image.length);
    if (t.tokenType === LParen || t.tokenType === LBracket) {
      if (++depth > maxNesting) return [diagnostic('D0230', where(), { limit: maxNesting })];
    } else if (t.tokenType === RParen || t.tokenType === RBracket) {
      depth = Math.max(0, depth - 1);
    } else if (operators.has(t.tokenType) && ++count > maxOperators) {
      return [diagnostic('D0231', where(), { limit: maxOperators })];
    }
  }
  return [];
}
