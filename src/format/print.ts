// The canonical text of a .dense file, printed from its AST (`densec fmt`).
//
// Style, as the specs in specs/ are written: two-space indentation, one declaration or
// statement per line, single spaces between words (expr.ts), at most one blank line kept where
// the source had blank lines, and a blank line around every multi-line declaration. Comments stay
// where they were written (comments.ts); a trailing comment keeps its column when that leaves at
// least two spaces after the code, so hand-aligned comments stay aligned, else it moves to two
// spaces after the code. A parameter or argument list prints on one line unless comments are
// written inside it; then it prints one item per line. The output ends with one newline, and
// printing it again gives it back unchanged.
import type { Arg, Comment, Decl, FamilyDecl, ModelDecl, Param, SpecFile, Stmt } from '../ast/nodes.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Span } from '../diagnostics/span.js';
import { Comments, commentText } from './comments.js';
import { printExpr, printStmt } from './expr.js';

interface Line {
  readonly indent: number;
  /** Empty for a comment on a line of its own. */
  code: string;
  comment: Comment | undefined;
  /** A blank line goes before this one. */
  blank: boolean;
  /** Set on the first and last line of a multi-line declaration, for the blank lines around it. */
  multi?: 'first' | 'last';
}

const INDENT = '  ';

export function print(file: SpecFile, source: SourceFile): string {
  const comments = new Comments(source, file.comments);
  const lines: Line[] = [];
  items(comments, lines, file.decls, { start: 0, end: source.text.length }, 0, undefined, (d) => printDecl(comments, lines, d));
  // Every comment lies in some region above; any left would be a bug, but never drop one.
  for (const c of comments.remaining) lines.push({ indent: 0, code: '', comment: c, blank: false });
  spaceMultiLineDecls(lines);
  return render(comments, lines);
}

/**
 * Prints a run of items (declarations, statements, parameters) and the comments between them,
 * in [region.start, region.end). Comments that trail code on their line attach to the last line
 * printed (`open` for the first item: the line that opened the region).
 */
function items<T extends { readonly span: Span }>(
  comments: Comments,
  lines: Line[],
  list: readonly T[],
  region: { start: number; end: number },
  indent: number,
  open: Line | undefined,
  printItem: (item: T, index: number) => void,
): void {
  const first = lines.length;
  let last: Line | undefined = open;
  let lastEnd = region.start;
  const gap = (from: number, to: number) => {
    for (const c of comments.take(from, to)) {
      if (comments.trails(c) && last && !last.comment && last.code !== '') {
        last.comment = c;
      } else {
        last = { indent, code: '', comment: c, blank: lines.length > first && comments.blankBetween(lastEnd, c.span.start) };
        lines.push(last);
      }
      lastEnd = c.span.end;
    }
  };
  list.forEach((item, i) => {
    gap(lastEnd, item.span.start);
    const at = lines.length;
    printItem(item, i);
    if (lines.length > at && at > first && comments.blankBetween(lastEnd, item.span.start)) lines[at].blank = true;
    last = lines[lines.length - 1];
    lastEnd = item.span.end;
  });
  gap(lastEnd, region.end);
}

function printDecl(comments: Comments, lines: Line[], d: Decl): void {
  const at = lines.length;
  switch (d.kind) {
    case 'use':
      lines.push(line(0, `use ${JSON.stringify(d.path)}`));
      break;
    case 'const':
      lines.push(line(0, `const ${d.name.name} = ${printExpr(d.value)}`));
      break;
    case 'family':
      printFamily(comments, lines, d);
      break;
    case 'model':
      printModel(comments, lines, d);
      break;
  }
  if (lines[lines.length - 1].multi === 'last') lines[at].multi = 'first';
  // Comments inside the declaration that no part of it printed (say, between `model` and its
  // name) go on lines of their own before it.
  const hoisted = comments.take(d.span.start, d.span.end).map((c) => line(0, '', c));
  lines.splice(at, 0, ...hoisted);
}

function printFamily(comments: Comments, lines: Line[], d: FamilyDecl): void {
  const open = comments.find('(', d.name.span.end);
  const close = comments.closing(open);
  const header = list(comments, lines, d.params, { start: open + 1, end: close }, `family ${d.name.name}(`, printParam);
  body(comments, lines, d.body, header, comments.find('{', close));
}

function printModel(comments: Comments, lines: Line[], d: ModelDecl): void {
  const claim = d.claim ? ` ${d.claim.relation} ${JSON.stringify(d.claim.paper)}` : '';
  if (d.call) {
    const open = comments.find('(', d.call.callee.span.end);
    const close = comments.closing(open);
    const head = `model ${d.name.name} = ${d.call.callee.name}(`;
    list(comments, lines, d.call.args, { start: open + 1, end: close }, head, printArg).code += claim;
    return;
  }
  const header = line(0, `model ${d.name.name}`);
  lines.push(header);
  body(comments, lines, d.body ?? [], header, comments.find('{', d.name.span.end)).code += claim;
}

/**
 * `head item, item)` on one line, or, with comments inside, one item per line. Returns the line
 * that holds the closing parenthesis (the caller appends to it).
 */
function list<T extends { readonly span: Span }>(
  comments: Comments,
  lines: Line[],
  xs: readonly T[],
  region: { start: number; end: number },
  head: string,
  printItem: (x: T) => string,
): Line {
  if (!comments.any(region.start, region.end)) {
    const one = line(0, `${head}${xs.map(printItem).join(', ')})`);
    lines.push(one);
    return one;
  }
  const opening = line(0, head);
  lines.push(opening);
  items(comments, lines, xs, region, 1, opening, (x, i) => {
    lines.push(line(1, printItem(x) + (i < xs.length - 1 ? ',' : '')));
  });
  const closing = line(0, ')');
  lines.push(closing);
  return closing;
}

/** ` {` after the header line, the statements indented, `}`. Returns the `}` line. */
function body(comments: Comments, lines: Line[], stmts: readonly Stmt[], header: Line, braceOpen: number): Line {
  header.code += ' {';
  items(comments, lines, stmts, { start: braceOpen + 1, end: bodyEnd(comments, stmts, braceOpen) }, 1, header, (s) => {
    // Comments inside a statement (a list over several lines) go before it.
    const inner = comments.take(s.span.start, s.span.end).map((c) => line(1, '', c));
    lines.push(...inner, line(1, printStmt(s)));
  });
  const closing: Line = { ...line(0, '}'), multi: 'last' };
  lines.push(closing);
  return closing;
}

function bodyEnd(comments: Comments, stmts: readonly Stmt[], braceOpen: number): number {
  const from = stmts.length > 0 ? stmts[stmts.length - 1].span.end : braceOpen + 1;
  const close = comments.find('}', from);
  return close < 0 ? comments.source.text.length : close;
}

function printParam(p: Param): string {
  return p.default ? `${p.name.name} = ${printExpr(p.default)}` : p.name.name;
}

function printArg(a: Arg): string {
  return a.name ? `${a.name.name} = ${printExpr(a.value)}` : printExpr(a.value);
}

function line(indent: number, code: string, comment?: Comment): Line {
  return { indent, code, comment, blank: false };
}

/**
 * A blank line before every multi-line declaration (before the comments written directly above
 * it) and after it.
 */
function spaceMultiLineDecls(lines: Line[]): void {
  lines.forEach((l, i) => {
    if (l.multi === 'last' && i + 1 < lines.length) lines[i + 1].blank = true;
    if (l.multi !== 'first') return;
    let j = i;
    while (j > 0 && lines[j - 1].code === '' && !lines[j].blank) j--;
    if (j > 0) lines[j].blank = true;
  });
}

function render(comments: Comments, lines: readonly Line[]): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.blank && out.length > 0) out.push('');
    const code = INDENT.repeat(l.indent) + l.code;
    if (!l.comment) out.push(code);
    else if (l.code === '') out.push(code + commentText(l.comment));
    else out.push(code.padEnd(Math.max(code.length + 2, comments.column(l.comment))) + commentText(l.comment));
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
