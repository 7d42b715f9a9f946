// Chevrotain's syntax errors -> D02 diagnostics. The parser's message provider records only what
// was expected (as words); this file picks the code, the "found" text and a help line that shows
// the syntax of the construct being parsed, taken from the innermost rule that has one.
import type { IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { EOF } from './chevrotain.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { span } from '../diagnostics/span.js';
import { closest } from '../check/suggest.js';
import * as T from './tokens.js';

function words(types: readonly TokenType[]): string {
  const names = [...new Set(types.map((t) => T.describe.get(t) ?? t.name))];
  if (names.length <= 1) return names[0] ?? 'something else';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The first token of each way the parser could have gone on (paths nest two or three deep). */
function firsts(paths: unknown): TokenType[] {
  if (!Array.isArray(paths) || paths.length === 0) return [];
  if (!Array.isArray(paths[0])) return [paths[0] as TokenType];
  return paths.flatMap(firsts);
}

export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => words([expected]),
  buildNotAllInputParsedMessage: () => 'a declaration',
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) => words(firsts(expectedPathsPerAlt)),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => words(firsts(expectedIterationPaths)),
};

/** What the innermost rule looks like, for the help line. */
const syntaxOf: Readonly<Record<string, string>> = {
  useDecl: 'write `use "lib/imagenet.dense"`',
  constDecl: 'write `const name = value`',
  param: 'write `family name(p, q = 1) { statements }`',
  familyDecl: 'write `family name(p, q = 1) { statements }`',
  arg: 'arguments are `value` or `name = value`, separated by commas',
  call: 'arguments are `value` or `name = value`, separated by commas',
  claim: 'write `is "Paper Name"` or `like "Paper Name"`',
  modelDecl: 'write `model name = family(arg = value)` or `model name { statements }`',
  inputStmt: 'write e.g. `input 3 x 224 x 224`',
  convStmt: 'write e.g. `conv 3x3 stride 1 pad 1 out 64`',
  maxpoolStmt: 'write e.g. `maxpool 3x3 stride 2 pad 1`',
  avgpoolStmt: 'write e.g. `avgpool 2x2` or `avgpool global`',
  dropoutStmt: 'write e.g. `dropout 0.2`',
  linearStmt: 'write e.g. `linear 1000`',
  blockStmt: 'write e.g. `block 6 growth 32`',
  letStmt: 'write `let name = value`',
  list: 'list items are separated by commas: `[6, 12, 24, 16]`',
  dims: 'sizes are written `7x7` or `3 x size x size`',
};

/** Where the parser stood: what it expected, in words, when the token itself says little. */
const expectedIn: Readonly<Record<string, Partial<Record<string, string>>>> = {
  familyDecl: { RParen: '`,` or `)`' },
  call: { RParen: '`,` or `)`' },
  list: { RBracket: '`,` or `]`' },
  avgpoolStmt: { '': '`global` or a size like `2x2`' },
};

function found(t: IToken): string {
  if (t.tokenType === EOF) return 'end of file';
  if (t.tokenType === T.StringLit) return 'a string';
  const image = t.image.length > 24 ? `${t.image.slice(0, 24)}...` : t.image;
  return `\`${image}\``;
}

export function syntaxDiagnostics(file: string, text: string, errors: readonly IRecognitionException[]): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  const eof = text.replace(/\s+$/, '').length;
  for (const e of errors) {
    const t = e.token;
    const atEnd = t.tokenType === EOF || !Number.isFinite(t.startOffset);
    const where = atEnd ? span(file, eof, eof) : span(file, t.startOffset, t.startOffset + t.image.length);
    if (seen.has(where.start)) continue; // one error per place: the first says it best
    seen.add(where.start);
    const rules = e.context?.ruleStack ?? [];
    const rule = rules[rules.length - 1] ?? 'file';
    const expected = rule === 'dims' || rule === 'dim' ? 'a size like `3x3`' : expectedIn[rule]?.[e.name === 'MismatchedTokenException' ? expectedName(e) : ''] ?? e.message;
    const hintRule = [...rules].reverse().find((r) => r in syntaxOf);
    const help = hintRule ? { help: syntaxOf[hintRule] } : {};
    if (e.name === 'NotAllInputParsedException' || rule === 'file' || rule === 'declaration') {
      out.push(diagnostic('D0202', where, { found: found(t) }, typo(t, declarationKeywords)));
    } else if (atEnd) {
      out.push(diagnostic('D0205', where, { expected }));
    } else if (rule === 'statement' || (rule === 'body' && e.name === 'MismatchedTokenException')) {
      out.push(diagnostic('D0203', where, { found: found(t) }, typo(t, statementKeywords)));
    } else if (rule === 'primary' || rule === 'unary' || rule === 'dim') {
      out.push(diagnostic('D0204', where, { found: found(t) }, help));
    } else {
      // A keyword where a name belongs (`model x = ...`) deserves saying so: it looks like a name.
      const keyword = t.tokenType !== T.Identifier && /^[a-z]+$/.test(t.image) && expected.includes('name');
      const label = keyword ? { label: `\`${t.image}\` is a keyword and cannot be a name` } : {};
      out.push(diagnostic('D0201', where, { expected, found: found(t) }, { ...help, ...label }));
    }
  }
  return out;
}

const declarationKeywords = ['use', 'const', 'family', 'model'];
const statementKeywords = ['input', 'conv', 'bn', 'relu', 'maxpool', 'avgpool', 'dropout', 'linear', 'softmax', 'dense', 'block', 'transition', 'let'];

/** A name that is a keyword misspelt (`famly`, `rlu`) gets "did you mean" under the caret. */
function typo(t: IToken, keywords: readonly string[]): { label?: string } {
  const near = t.tokenType === T.Identifier ? closest(t.image, keywords) : undefined;
  return near ? { label: `did you mean \`${near}\`?` } : {};
}

/** The token name a MismatchedTokenException wanted, recovered from its message. */
function expectedName(e: IRecognitionException): string {
  for (const [type, word] of T.describe) if (word === e.message) return type.name;
  return '';
}
