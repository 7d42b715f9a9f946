// The .dense grammar as ONE Chevrotain CstParser (grammar/dense.ebnf says the same in EBNF).
// It builds a CST only; visitor.ts turns that into the AST. Recovery is on, so one run reports
// several syntax errors. Newlines are whitespace, with one rule: a clause (and its value) must
// start on the line of the token before it, so a statement ends at the end of its line and
// `dropout` on a new line is the dropout statement, not a clause of the line above.
import type { IToken, TokenType } from 'chevrotain';
import { CstParser } from './chevrotain.js';
import { messages } from './errors.js';
import * as T from './tokens.js';

/** Clauses that are flags: they take a value only if it cannot be a clause name (`bias 3`). */
const flagClauses: ReadonlySet<string> = new Set(['bias']);

export class DenseParser extends CstParser {
  /** `validate` runs Chevrotain's grammar checks (ambiguity, left recursion): ~15 ms a start, so tests run them and the shipped instance does not. */
  constructor(validate = false) {
    super(T.allTokens as TokenType[], { recoveryEnabled: true, nodeLocationTracking: 'onlyOffset', maxLookahead: 3, errorMessageProvider: messages, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /** True when the next token is on the same line as the one just consumed. */
  private sameLine(): boolean {
    const prev: IToken = this.LA(0);
    const next: IToken = this.LA(1);
    return !Number.isFinite(prev.endLine) || next.startLine === prev.endLine;
  }

  private startsValue(clauseName: IToken): boolean {
    const next = this.LA(1).tokenType;
    if (flagClauses.has(clauseName.image)) {
      return next === T.NumberLit || next === T.LParen || next === T.LBracket || next === T.Minus;
    }
    return true;
  }

  // Declarations -------------------------------------------------------------------------------

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE('declaration', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.familyDecl) },
      { ALT: () => this.SUBRULE(this.modelDecl) },
    ]);
  });

  useDecl = this.RULE('useDecl', () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLit, { LABEL: 'path' });
  });

  constDecl = this.RULE('constDecl', () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  familyDecl = this.RULE('familyDecl', () => {
    this.CONSUME(T.Family);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.param) });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.body);
  });

  param = this.RULE('param', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression, { LABEL: 'default' });
    });
  });

  modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.call);
        },
      },
      { ALT: () => this.SUBRULE(this.body) },
    ]);
    this.OPTION2(() => this.SUBRULE(this.claim));
  });

  call = this.RULE('call', () => {
    this.CONSUME(T.Identifier, { LABEL: 'callee' });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE('arg', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Equals,
      DEF: () => {
        this.CONSUME(T.Identifier, { LABEL: 'name' });
        this.CONSUME(T.Equals);
      },
    });
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  claim = this.RULE('claim', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Is, { LABEL: 'relation' }) }, { ALT: () => this.CONSUME(T.Like, { LABEL: 'relation' }) }]);
    this.CONSUME(T.StringLit, { LABEL: 'paper' });
  });

  body = this.RULE('body', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  // Statements ---------------------------------------------------------------------------------

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputStmt) },
      { ALT: () => this.SUBRULE(this.convStmt) },
      { ALT: () => this.SUBRULE(this.maxpoolStmt) },
      { ALT: () => this.SUBRULE(this.avgpoolStmt) },
      { ALT: () => this.SUBRULE(this.simpleStmt) },
      { ALT: () => this.SUBRULE(this.dropoutStmt) },
      { ALT: () => this.SUBRULE(this.linearStmt) },
      { ALT: () => this.SUBRULE(this.denseStmt) },
      { ALT: () => this.SUBRULE(this.blockStmt) },
      { ALT: () => this.SUBRULE(this.transitionStmt) },
      { ALT: () => this.SUBRULE(this.letStmt) },
    ]);
  });

  inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(T.Input);
    this.SUBRULE(this.dims);
  });

  convStmt = this.RULE('convStmt', () => {
    this.CONSUME(T.Conv);
    this.SUBRULE(this.dims);
    this.SUBRULE(this.clauses);
  });

  maxpoolStmt = this.RULE('maxpoolStmt', () => {
    this.CONSUME(T.Maxpool);
    this.SUBRULE(this.dims);
    this.SUBRULE(this.clauses);
  });

  avgpoolStmt = this.RULE('avgpoolStmt', () => {
    this.CONSUME(T.Avgpool);
    this.OR([
      { ALT: () => this.CONSUME(T.Global) },
      {
        ALT: () => {
          this.SUBRULE(this.dims);
          this.SUBRULE(this.clauses);
        },
      },
    ]);
  });

  simpleStmt = this.RULE('simpleStmt', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Bn, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Relu, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Softmax, { LABEL: 'op' }) },
    ]);
  });

  dropoutStmt = this.RULE('dropoutStmt', () => {
    this.CONSUME(T.Dropout);
    this.SUBRULE(this.expression, { LABEL: 'rate' });
  });

  linearStmt = this.RULE('linearStmt', () => {
    this.CONSUME(T.Linear);
    this.SUBRULE(this.expression, { LABEL: 'out' });
  });

  denseStmt = this.RULE('denseStmt', () => {
    this.CONSUME(T.Dense);
    this.SUBRULE(this.clauses);
  });

  blockStmt = this.RULE('blockStmt', () => {
    this.CONSUME(T.Block);
    this.SUBRULE(this.expression, { LABEL: 'layers' });
    this.SUBRULE(this.clauses);
  });

  transitionStmt = this.RULE('transitionStmt', () => {
    this.CONSUME(T.Transition);
    this.SUBRULE(this.clauses);
  });

  letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  /** `stride 2 pad 3 out 64 bias`: names and optional values, on the statement's line. */
  clauses = this.RULE('clauses', () => {
    this.MANY({ GATE: () => this.sameLine(), DEF: () => this.SUBRULE(this.clause) });
  });

  clause = this.RULE('clause', () => {
    const name = this.OR([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME(T.Dropout, { LABEL: 'name' }) },
    ]);
    this.OPTION({
      GATE: () => this.sameLine() && this.startsValue(name),
      DEF: () => this.SUBRULE(this.expression, { LABEL: 'value' }),
    });
  });

  /** `7x7`, `3 x size x size`, `3x224 x 224`. */
  dims = this.RULE('dims', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.X, DEF: () => this.SUBRULE(this.dim) });
  });

  dim = this.RULE('dim', () => {
    this.OR([{ ALT: () => this.CONSUME(T.DimsLit) }, { ALT: () => this.SUBRULE(this.expression) }]);
  });

  // Expressions: + - bind looser than * /, then unary minus, then indexing ---------------------

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.term, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus, { LABEL: 'ops' }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: 'ops' }) }]);
      this.SUBRULE2(this.term, { LABEL: 'operands' });
    });
  });

  term = this.RULE('term', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star, { LABEL: 'ops' }) }, { ALT: () => this.CONSUME(T.Slash, { LABEL: 'ops' }) }]);
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression, { LABEL: 'index' });
      this.CONSUME(T.RBracket);
    });
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'items' }) });
    this.CONSUME(T.RBracket);
  });
}

/** The one parser instance: Chevrotain parsers are built once and fed new input each time. */
export const parser = new DenseParser();
