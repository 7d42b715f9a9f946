import { describe, expect, it } from 'vitest';
import type { ConvStmt, DenseStmt, Expr, FamilyDecl, ModelDecl } from '../../src/ast/nodes.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/syntax/parse.js';

function parsed(text: string) {
  return parse(new SourceFile('t.dense', text));
}

function body(...lines: string[]) {
  const r = parsed(`model m {\n${lines.join('\n')}\n}`);
  expect(r.diagnostics).toEqual([]);
  return (r.file.decls[0] as ModelDecl).body!;
}

/** An expression back as text with full parentheses, to check precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'name':
      return e.name;
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    case 'neg':
      return `(-${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'index':
      return `${show(e.target)}[${show(e.index)}]`;
  }
}

describe('parser', () => {
  it('parses all four declarations', () => {
    const r = parsed('use "a.dense"\nconst k = 12\nfamily f(a, b = 2 * a) { input 3x32x32 }\nmodel m = f(1, b = 3) is "Paper"');
    expect(r.diagnostics).toEqual([]);
    expect(r.file.decls.map((d) => d.kind)).toEqual(['use', 'const', 'family', 'model']);
    const f = r.file.decls[2] as FamilyDecl;
    expect(f.params.map((p) => [p.name.name, p.default && show(p.default)])).toEqual([['a', undefined], ['b', '(2 * a)']]);
    const m = r.file.decls[3] as ModelDecl;
    expect(m.call?.args.map((a) => a.name?.name)).toEqual([undefined, 'b']);
    expect(m.claim).toMatchObject({ relation: 'is', paper: 'Paper' });
  });

  it('gives + - lower precedence than * /, and indexing the highest', () => {
    const [s] = body('let v = 1 + 2 * -xs[0] - (3 - 4) / 5');
    expect(s.kind === 'let' && show(s.value)).toBe('((1 + (2 * (-xs[0]))) - ((3 - 4) / 5))');
  });

  it('splits a size literal into numbers with their own spans', () => {
    const [s] = body('input 3x224x224');
    expect(s.kind === 'input' && s.dims.items.map((i) => [show(i), i.span.start, i.span.end])).toEqual([
      ['3', 16, 17], ['224', 18, 21], ['224', 22, 25],
    ]);
  });

  it('reads clauses with and without values; a flag takes no name as its value', () => {
    const [conv] = body('conv 7x7 stride 2 bias out 2 * k') as [ConvStmt];
    expect(conv.clauses.map((c) => [c.name.name, c.value && show(c.value)])).toEqual([
      ['stride', '2'], ['bias', undefined], ['out', '(2 * k)'],
    ]);
  });

  it('takes a name as a clause value, even one spelled like a clause (`depth depth`)', () => {
    const [dense] = body('dense depth depth blocks 3 growth k dropout drop') as [DenseStmt];
    expect(dense.clauses.map((c) => [c.name.name, c.value && show(c.value)])).toEqual([
      ['depth', 'depth'], ['blocks', '3'], ['growth', 'k'], ['dropout', 'drop'],
    ]);
  });

  it('ends a statement at the end of its line: `dropout` on the next line is a statement', () => {
    const stmts = body('conv 3x3 out 16', 'dropout 0.2', 'dense layers [1] growth 4', 'dropout 0.1');
    expect(stmts.map((s) => s.kind)).toEqual(['conv', 'dropout', 'dense', 'dropout']);
  });

  it('parses `avgpool global` and pools with clauses', () => {
    expect(body('avgpool global', 'maxpool 3x3 stride 2 pad 1', 'avgpool 2x2').map((s) => s.kind)).toEqual(['globalpool', 'maxpool', 'avgpool']);
  });

  it('gives every statement the span of its text', () => {
    const text = 'model m {\n  conv 3x3 out 16 bias\n}';
    const s = (parsed(text).file.decls[0] as ModelDecl).body![0];
    expect(text.slice(s.span.start, s.span.end)).toBe('conv 3x3 out 16 bias');
  });

  it('reports several syntax errors in one run', () => {
    const r = parsed('model m {\n  input 3 x 32 x 32\n  batchnorm\n  linear\n}\nfamily f(a b) { }\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['D0203', 'D0204', 'D0201']);
  });

  it('says what it expected and what it found', () => {
    const [d] = parsed('const a = [1, 2').diagnostics;
    expect(d.code).toBe('D0205');
    expect(d.message).toBe('unexpected end of file, expected `,` or `]`');
    const [e] = parsed('model m = f(a b)').diagnostics;
    expect(e.message).toBe('expected `,` or `)`, found `b`');
    expect(e.help).toBe('arguments are `value` or `name = value`, separated by commas');
  });

  it('reports text outside any declaration (D0202)', () => {
    expect(parsed('bn').diagnostics.map((d) => d.code)).toEqual(['D0202']);
    expect(parsed('model m { input 3x3x3 } }').diagnostics.map((d) => d.code)).toEqual(['D0202']);
  });
});
