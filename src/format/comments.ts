// Comments for the printer. The AST keeps comments apart from the nodes (SpecFile.comments);
// the printer asks for the ones between two source offsets as it walks the tree, so each comment
// is printed once, next to the code it was written next to:
//   - a comment after code on the same line trails the line that code is printed on;
//   - a comment on a line of its own goes before the next declaration or statement (or stays at
//     the end of its body or file when nothing follows);
//   - a comment inside a statement (a list written over several lines) moves before it.
import type { Comment } from '../ast/nodes.js';
import type { SourceFile } from '../diagnostics/source.js';

export class Comments {
  private readonly all: readonly Comment[];
  private readonly pending: Comment[];

  constructor(
    readonly source: SourceFile,
    comments: readonly Comment[],
  ) {
    this.all = [...comments].sort((a, b) => a.span.start - b.span.start);
    this.pending = [...this.all];
  }

  /** Removes and returns the comments that start in [start, end), in source order. */
  take(start: number, end: number): Comment[] {
    const taken = this.pending.filter((c) => c.span.start >= start && c.span.start < end);
    for (const c of taken) this.pending.splice(this.pending.indexOf(c), 1);
    return taken;
  }

  /** True when a comment not printed yet starts in [start, end). */
  any(start: number, end: number): boolean {
    return this.pending.some((c) => c.span.start >= start && c.span.start < end);
  }

  /** Comments not printed yet (none, once the whole file is printed). */
  get remaining(): readonly Comment[] {
    return this.pending;
  }

  /** True when code precedes the comment on its line. */
  trails(c: Comment): boolean {
    const lineStart = c.span.start - this.column(c);
    return this.source.text.slice(lineStart, c.span.start).trim() !== '';
  }

  /** 0-based column of the comment in the source. */
  column(c: Comment): number {
    return this.source.position(c.span.start).column - 1;
  }

  /** True when the source has a blank line between the offsets `from` and `to`. */
  blankBetween(from: number, to: number): boolean {
    if (to <= from) return false;
    return /\n[ \t\r]*\n/.test(this.source.text.slice(from, to));
  }

  /**
   * Offset of the first `ch` at or after `from` outside comments, or -1: the AST does not record
   * where a body's braces or a list's parentheses are.
   */
  find(ch: string, from: number): number {
    const text = this.source.text;
    for (let i = from; i < text.length; i++) {
      const inside = this.all.find((c) => c.span.start <= i && i < c.span.end);
      if (inside) i = inside.span.end - 1;
      else if (text[i] === ch) return i;
    }
    return -1;
  }

  /** Offset of the `)` that closes the `(` at `open`, skipping comments and nested parentheses. */
  closing(open: number): number {
    const text = this.source.text;
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      const inside = this.all.find((c) => c.span.start <= i && i < c.span.end);
      if (inside) i = inside.span.end - 1;
      else if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) return i;
    }
    return -1;
  }
}

/** A comment's text as printed: trailing spaces dropped. */
export function commentText(c: Comment): string {
  return c.text.replace(/\s+$/, '');
}
