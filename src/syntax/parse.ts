// Source text -> AST and diagnostics (D01 lexical, D02 syntax). Never throws on any input:
// an expression past the limits of ./limits.ts is D0230/D0231, and the file is not parsed.
import type { SpecFile } from '../ast/nodes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { syntaxDiagnostics } from './errors.js';
import { lex } from './lexer.js';
import { expressionLimits } from './limits.js';
import { parser } from './parser.js';
import { AstBuilder } from './visitor.js';

export interface Parsed {
  readonly file: SpecFile;
  readonly diagnostics: Diagnostic[];
}

export function parse(source: SourceFile): Parsed {
  const lexed = lex(source.name, source.text);
  // Past a limit nothing is parsed: the parser would overflow the stack on it.
  const tooLarge = expressionLimits(source.name, lexed.tokens);
  parser.input = tooLarge.length > 0 ? [] : lexed.tokens;
  const cst = parser.file();
  const diagnostics = [...lexed.diagnostics, ...tooLarge, ...syntaxDiagnostics(source.name, source.text, parser.errors)];
  const file = new AstBuilder(source.name).file(cst, lexed.comments, source.text.length);
  return { file, diagnostics };
}
