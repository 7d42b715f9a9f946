// The .dense AST: discriminated unions on `kind`; every node has a span.
// Built from the CST by syntax/visitor.ts; the parser itself builds no AST.
import type { Span } from '../diagnostics/span.js';

export interface Ident {
  readonly kind: 'ident';
  readonly name: string;
  readonly span: Span;
}

// Expressions ----------------------------------------------------------------------------------

export type Expr = NumberLit | NameRef | ListExpr | BinaryExpr | NegExpr | IndexExpr;

export interface NumberLit {
  readonly kind: 'number';
  readonly value: number;
  /** As written, e.g. `0.50`; the formatter keeps it. */
  readonly text: string;
  readonly span: Span;
}
export interface NameRef {
  readonly kind: 'name';
  readonly name: string;
  readonly span: Span;
}
export interface ListExpr {
  readonly kind: 'list';
  readonly items: readonly Expr[];
  readonly span: Span;
}
export type BinaryOp = '+' | '-' | '*' | '/';
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}
export interface NegExpr {
  readonly kind: 'neg';
  readonly operand: Expr;
  readonly span: Span;
}
export interface IndexExpr {
  readonly kind: 'index';
  readonly target: Expr;
  readonly index: Expr;
  readonly span: Span;
}

/** `7x7` (one literal token) or `3 x size x size` (expressions joined by `x`). */
export interface Dims {
  readonly kind: 'dims';
  readonly items: readonly Expr[];
  readonly span: Span;
}

// Statements (the body of a family or a model) --------------------------------------------------

/** `name value?` after a statement's head, e.g. `stride 2`, `growth k`, `bias`. */
export interface Clause {
  readonly kind: 'clause';
  readonly name: Ident;
  readonly value: Expr | undefined;
  readonly span: Span;
}

export type Stmt =
  | InputStmt
  | ConvStmt
  | PoolStmt
  | GlobalPoolStmt
  | SimpleStmt
  | DropoutStmt
  | LinearStmt
  | DenseStmt
  | BlockStmt
  | TransitionStmt
  | LetStmt;

/** `input 3 x 224 x 224` */
export interface InputStmt {
  readonly kind: 'input';
  readonly dims: Dims;
  readonly span: Span;
}
/** `conv 7x7 stride 2 pad 3 out 64 bias` */
export interface ConvStmt {
  readonly kind: 'conv';
  readonly kernel: Dims;
  readonly clauses: readonly Clause[];
  readonly span: Span;
}
/** `maxpool 3x3 stride 2 pad 1`, `avgpool 2x2` */
export interface PoolStmt {
  readonly kind: 'maxpool' | 'avgpool';
  readonly kernel: Dims;
  readonly clauses: readonly Clause[];
  readonly span: Span;
}
/** `avgpool global` */
export interface GlobalPoolStmt {
  readonly kind: 'globalpool';
  readonly span: Span;
}
/** `bn`, `relu`, `softmax` */
export interface SimpleStmt {
  readonly kind: 'bn' | 'relu' | 'softmax';
  readonly span: Span;
}
/** `dropout 0.2` */
export interface DropoutStmt {
  readonly kind: 'dropout';
  readonly rate: Expr;
  readonly span: Span;
}
/** `linear classes` */
export interface LinearStmt {
  readonly kind: 'linear';
  readonly out: Expr;
  readonly span: Span;
}
/**
 * A run of dense blocks with a transition between each pair:
 * `dense layers [6, 12, 24, 16] growth k bottleneck 4 * k compression 0.5`
 * `dense depth 100 blocks 3 growth 12 bottleneck 48 compression 0.5`
 * Clause values may be lists: per block (growth, bottleneck, dropout) or per transition (compression).
 */
export interface DenseStmt {
  readonly kind: 'dense';
  readonly clauses: readonly Clause[];
  readonly span: Span;
}
/** One dense block: `block 6 growth 32 bottleneck 128 dropout 0.2` */
export interface BlockStmt {
  readonly kind: 'block';
  readonly layers: Expr;
  readonly clauses: readonly Clause[];
  readonly span: Span;
}
/** One transition: `transition compression 0.5` */
export interface TransitionStmt {
  readonly kind: 'transition';
  readonly clauses: readonly Clause[];
  readonly span: Span;
}
/** A named constant local to a body: `let width = 4 * k` */
export interface LetStmt {
  readonly kind: 'let';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

// Declarations ---------------------------------------------------------------------------------

export type Decl = UseDecl | ConstDecl | FamilyDecl | ModelDecl;

/** `use "lib/imagenet.dense"`: brings the file's constants and families into scope. */
export interface UseDecl {
  readonly kind: 'use';
  /** The path as written, without quotes, relative to the file that says it. */
  readonly path: string;
  readonly pathSpan: Span;
  readonly span: Span;
}
/** `const theta = 0.5` */
export interface ConstDecl {
  readonly kind: 'const';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}
export interface Param {
  readonly kind: 'param';
  readonly name: Ident;
  readonly default: Expr | undefined;
  readonly span: Span;
}
/** `family imagenet(blocks, k = 32) { ... }` */
export interface FamilyDecl {
  readonly kind: 'family';
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly span: Span;
}
export interface Arg {
  readonly kind: 'arg';
  /** Undefined for a positional argument. */
  readonly name: Ident | undefined;
  readonly value: Expr;
  readonly span: Span;
}
export interface Call {
  readonly kind: 'call';
  readonly callee: Ident;
  readonly args: readonly Arg[];
  readonly span: Span;
}
/**
 * `model densenet121 = imagenet(blocks = [6, 12, 24, 16]) is "DenseNet-121"`
 * `model tiny { input 3 x 32 x 32 ... }`
 * `is` claims the model is that paper model (verify fails on a difference);
 * `like` asks verify to compare and report what differs, without failing.
 */
export interface ModelDecl {
  readonly kind: 'model';
  readonly name: Ident;
  readonly call: Call | undefined;
  readonly body: readonly Stmt[] | undefined;
  readonly claim: Claim | undefined;
  readonly span: Span;
}
export interface Claim {
  readonly kind: 'claim';
  readonly relation: 'is' | 'like';
  readonly paper: string;
  readonly span: Span;
}

export interface Comment {
  readonly kind: 'comment';
  /** Including the leading `#`. */
  readonly text: string;
  readonly span: Span;
}

export interface SpecFile {
  readonly kind: 'file';
  readonly name: string;
  readonly decls: readonly Decl[];
  /** Kept for the formatter. */
  readonly comments: readonly Comment[];
  readonly span: Span;
}
