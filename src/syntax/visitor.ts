// CST -> AST. The one place that knows the CST's shape (the labels in parser.ts). Every AST node
// gets the exact span of its text. After a recovered syntax error parts of the CST are missing;
// the visitor then fills in empty names and zero values, never throws, and parse() has already
// reported the error, so nothing downstream trusts that AST.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from '../ast/nodes.js';
import { span, type Span } from '../diagnostics/span.js';

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).tokenType !== undefined;
}

function present(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

export class AstBuilder {
  constructor(private readonly fileName: string) {}

  private tokenSpan(t: IToken): Span {
    return span(this.fileName, t.startOffset, t.startOffset + t.image.length);
  }

  /** From the first to the last real token under the node (or an empty span where there is none). */
  private spanOf(e: CstElement | undefined, fallback = 0): Span {
    let start = Infinity;
    let end = -Infinity;
    const walk = (x: CstElement): void => {
      if (isToken(x)) {
        if (present(x)) {
          start = Math.min(start, x.startOffset);
          end = Math.max(end, x.startOffset + x.image.length);
        }
        return;
      }
      for (const list of Object.values(x.children)) for (const c of list) walk(c);
    };
    if (e) walk(e);
    return Number.isFinite(start) ? span(this.fileName, start, end) : span(this.fileName, fallback, fallback);
  }

  private node(c: Children, label: string, i = 0): CstNode | undefined {
    const e = c[label]?.[i];
    return e && !isToken(e) ? e : undefined;
  }

  private token(c: Children, label: string, i = 0): IToken | undefined {
    const e = c[label]?.[i];
    return e && isToken(e) && present(e) ? e : undefined;
  }

  private nodes(c: Children, label: string): CstNode[] {
    return (c[label] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  private ident(t: IToken | undefined, at: Span): A.Ident {
    return t ? { kind: 'ident', name: t.image, span: this.tokenSpan(t) } : { kind: 'ident', name: '', span: at };
  }

  file(cst: CstNode, comments: readonly IToken[], length: number): A.SpecFile {
    const decls = this.nodes(cst.children, 'declaration').flatMap((d) => this.declaration(d));
    return {
      kind: 'file',
      name: this.fileName,
      decls,
      comments: comments.map((t) => ({ kind: 'comment', text: t.image, span: this.tokenSpan(t) })),
      span: span(this.fileName, 0, length),
    };
  }

  private declaration(cst: CstNode): A.Decl[] {
    const c = cst.children;
    const use = this.node(c, 'useDecl');
    if (use) return [this.useDecl(use)];
    const constant = this.node(c, 'constDecl');
    if (constant) return [this.constDecl(constant)];
    const family = this.node(c, 'familyDecl');
    if (family) return [this.familyDecl(family)];
    const model = this.node(c, 'modelDecl');
    if (model) return [this.modelDecl(model)];
    return [];
  }

  private useDecl(cst: CstNode): A.UseDecl {
    const whole = this.spanOf(cst);
    const path = this.token(cst.children, 'path');
    return {
      kind: 'use',
      path: path ? path.image.slice(1, -1) : '',
      pathSpan: path ? this.tokenSpan(path) : whole,
      span: whole,
    };
  }

  private constDecl(cst: CstNode): A.ConstDecl {
    const whole = this.spanOf(cst);
    const c = cst.children;
    return { kind: 'const', name: this.ident(this.token(c, 'name'), whole), value: this.expr(this.node(c, 'value'), whole), span: whole };
  }

  private familyDecl(cst: CstNode): A.FamilyDecl {
    const whole = this.spanOf(cst);
    const c = cst.children;
    const params = this.nodes(c, 'param').map((p): A.Param => {
      const pc = p.children;
      const at = this.spanOf(p, whole.start);
      const def = this.node(pc, 'default');
      return { kind: 'param', name: this.ident(this.token(pc, 'name'), at), default: def ? this.expr(def, at) : undefined, span: at };
    });
    return { kind: 'family', name: this.ident(this.token(c, 'name'), whole), params, body: this.body(this.node(c, 'body')), span: whole };
  }

  private modelDecl(cst: CstNode): A.ModelDecl {
    const whole = this.spanOf(cst);
    const c = cst.children;
    const callCst = this.node(c, 'call');
    const bodyCst = this.node(c, 'body');
    const claimCst = this.node(c, 'claim');
    return {
      kind: 'model',
      name: this.ident(this.token(c, 'name'), whole),
      call: callCst ? this.call(callCst) : undefined,
      body: bodyCst ? this.body(bodyCst) : undefined,
      claim: claimCst ? this.claim(claimCst) : undefined,
      span: whole,
    };
  }

  private call(cst: CstNode): A.Call {
    const whole = this.spanOf(cst);
    const c = cst.children;
    const args = this.nodes(c, 'arg').map((a): A.Arg => {
      const at = this.spanOf(a, whole.start);
      const name = this.token(a.children, 'name');
      return { kind: 'arg', name: name ? this.ident(name, at) : undefined, value: this.expr(this.node(a.children, 'value'), at), span: at };
    });
    return { kind: 'call', callee: this.ident(this.token(c, 'callee'), whole), args, span: whole };
  }

  private claim(cst: CstNode): A.Claim {
    const c = cst.children;
    const paper = this.token(c, 'paper');
    return {
      kind: 'claim',
      relation: this.token(c, 'relation')?.image === 'like' ? 'like' : 'is',
      paper: paper ? paper.image.slice(1, -1) : '',
      span: this.spanOf(cst),
    };
  }

  private body(cst: CstNode | undefined): A.Stmt[] {
    if (!cst) return [];
    return this.nodes(cst.children, 'statement').flatMap((s) => {
      const inner = Object.values(s.children)[0]?.[0];
      return inner && !isToken(inner) ? [this.statement(inner)] : [];
    });
  }

  // Statements ---------------------------------------------------------------------------------

  private statement(cst: CstNode): A.Stmt {
    const whole = this.spanOf(cst);
    const c = cst.children;
    switch (cst.name) {
      case 'inputStmt':
        return { kind: 'input', dims: this.dims(this.node(c, 'dims'), whole), span: whole };
      case 'convStmt':
        return { kind: 'conv', kernel: this.dims(this.node(c, 'dims'), whole), clauses: this.clauses(c), span: whole };
      case 'maxpoolStmt':
        return { kind: 'maxpool', kernel: this.dims(this.node(c, 'dims'), whole), clauses: this.clauses(c), span: whole };
      case 'avgpoolStmt':
        if (c['Global']) return { kind: 'globalpool', span: whole };
        return { kind: 'avgpool', kernel: this.dims(this.node(c, 'dims'), whole), clauses: this.clauses(c), span: whole };
      case 'simpleStmt': {
        const op = this.token(c, 'op')?.image;
        return { kind: op === 'relu' ? 'relu' : op === 'softmax' ? 'softmax' : 'bn', span: whole };
      }
      case 'dropoutStmt':
        return { kind: 'dropout', rate: this.expr(this.node(c, 'rate'), whole), span: whole };
      case 'linearStmt':
        return { kind: 'linear', out: this.expr(this.node(c, 'out'), whole), span: whole };
      case 'denseStmt':
        return { kind: 'dense', clauses: this.clauses(c), span: whole };
      case 'blockStmt':
        return { kind: 'block', layers: this.expr(this.node(c, 'layers'), whole), clauses: this.clauses(c), span: whole };
      case 'transitionStmt':
        return { kind: 'transition', clauses: this.clauses(c), span: whole };
      default: {
        // letStmt
        return { kind: 'let', name: this.ident(this.token(c, 'name'), whole), value: this.expr(this.node(c, 'value'), whole), span: whole };
      }
    }
  }

  private clauses(c: Children): A.Clause[] {
    const list = this.node(c, 'clauses');
    if (!list) return [];
    return this.nodes(list.children, 'clause').map((k) => {
      const at = this.spanOf(k, list.location?.startOffset);
      const value = this.node(k.children, 'value');
      return { kind: 'clause', name: this.ident(this.token(k.children, 'name'), at), value: value ? this.expr(value, at) : undefined, span: at };
    });
  }

  private dims(cst: CstNode | undefined, at: Span): A.Dims {
    if (!cst) return { kind: 'dims', items: [], span: span(this.fileName, at.end, at.end) };
    const items = this.nodes(cst.children, 'dim').flatMap((d): A.Expr[] => {
      const lit = this.token(d.children, 'DimsLit');
      if (lit) return this.splitDims(lit);
      return [this.expr(this.node(d.children, 'expression'), at)];
    });
    return { kind: 'dims', items, span: this.spanOf(cst, at.end) };
  }

  /** `3x224x224` -> three numbers, each with its own span inside the token. */
  private splitDims(t: IToken): A.NumberLit[] {
    let offset = t.startOffset;
    return t.image.split('x').map((text) => {
      const lit: A.NumberLit = { kind: 'number', value: Number(text), text, span: span(this.fileName, offset, offset + text.length) };
      offset += text.length + 1;
      return lit;
    });
  }

  // Expressions --------------------------------------------------------------------------------

  private expr(cst: CstNode | undefined, at: Span): A.Expr {
    if (!cst) return { kind: 'number', value: 0, text: '', span: span(this.fileName, at.end, at.end) };
    switch (cst.name) {
      case 'expression':
      case 'term':
        return this.binary(cst, at);
      case 'unary': {
        const operand = this.node(cst.children, 'unary');
        if (operand) return { kind: 'neg', operand: this.expr(operand, at), span: this.spanOf(cst, at.start) };
        return this.expr(this.node(cst.children, 'postfix'), at);
      }
      case 'postfix':
        return this.postfix(cst, at);
      case 'list':
        return { kind: 'list', items: this.nodes(cst.children, 'items').map((i) => this.expr(i, at)), span: this.spanOf(cst, at.start) };
      default:
        return this.primary(cst, at);
    }
  }

  private binary(cst: CstNode, at: Span): A.Expr {
    const operands = this.nodes(cst.children, 'operands');
    const ops = (cst.children['ops'] ?? []).filter(isToken);
    let result = this.expr(operands[0], at);
    for (let i = 1; i < operands.length; i++) {
      const right = this.expr(operands[i], at);
      const whole = this.spanOf(operands[i], at.start);
      result = {
        kind: 'binary',
        op: (ops[i - 1]?.image ?? '+') as A.BinaryOp,
        left: result,
        right,
        span: span(this.fileName, this.spanOf(operands[0], at.start).start, whole.end),
      };
    }
    return result;
  }

  private postfix(cst: CstNode, at: Span): A.Expr {
    const c = cst.children;
    let result = this.expr(this.node(c, 'primary'), at);
    const closers = (c['RBracket'] ?? []).filter(isToken);
    this.nodes(c, 'index').forEach((index, i) => {
      const close = closers[i];
      const end = close && present(close) ? close.startOffset + 1 : this.spanOf(index, at.end).end;
      result = { kind: 'index', target: result, index: this.expr(index, at), span: span(this.fileName, result.span.start, end) };
    });
    return result;
  }

  private primary(cst: CstNode, at: Span): A.Expr {
    const c = cst.children;
    const num = this.token(c, 'Number');
    if (num) return { kind: 'number', value: Number(num.image), text: num.image, span: this.tokenSpan(num) };
    const name = this.token(c, 'Identifier');
    if (name) return { kind: 'name', name: name.image, span: this.tokenSpan(name) };
    const list = this.node(c, 'list');
    if (list) return this.expr(list, at);
    // `(e)`: the inner expression, with a span that takes in the parentheses.
    return { ...this.expr(this.node(c, 'inner'), at), span: this.spanOf(cst, at.start) };
  }
}
