// Parsing by declaration, so that an edit re-parses only the declaration it touches.
//
// A file is cut before every line that starts (at column 0) with `use`, `const`, `family` or
// `model`. Those words are keywords, strings and comments end at the line's end, so in a file
// that parses, each piece is a whole number of declarations and its tokens are the file's. Each
// piece is parsed on its own (syntax/parse.ts), cached by its text, and its spans are moved by
// where it starts. When any piece has a syntax error the whole file is parsed as one, so the
// diagnostics are exactly the CLI's. test/lsp/reparse.test.ts checks the result against parse().
import type { SpecFile } from '../ast/nodes.js';
import { SourceFile } from '../diagnostics/source.js';
import { span, type Span } from '../diagnostics/span.js';
import { parse, type Parsed } from '../syntax/parse.js';

const declarationLine = /^(?:use|const|family|model)\b/;

/** The file's pieces: their start offsets and texts. */
export function pieces(text: string): Array<{ start: number; text: string }> {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) {
    if (declarationLine.test(text.slice(i + 1, i + 8))) starts.push(i + 1);
  }
  return starts.map((s, k) => ({ start: s, text: text.slice(s, starts[k + 1] ?? text.length) })).filter((p, k) => k === 0 || p.text.length > 0);
}

/** A deep copy with every `span` and `pathSpan` moved by `delta` (the AST's only span fields). */
function shifted<T>(x: T, delta: number): T {
  if (Array.isArray(x)) return x.map((i) => shifted(i, delta)) as T;
  if (x === null || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (k === 'span' || k === 'pathSpan') {
      const s = v as Span;
      out[k] = span(s.file, s.start + delta, s.end + delta);
    } else {
      out[k] = shifted(v, delta);
    }
  }
  return out as T;
}

/** One file's parser: remembers the pieces of its last text, parsed and placed. */
export class PieceParser {
  /** Piece text -> its parse at offset 0. */
  private parsed = new Map<string, SpecFile>();
  /** `start:text` -> the parse moved to `start`. */
  private placed = new Map<string, SpecFile>();
  /** Pieces parsed so far (a cache hit parses none). */
  piecesParsed = 0;

  parse(source: SourceFile): Parsed {
    const parsed = new Map<string, SpecFile>();
    const placed = new Map<string, SpecFile>();
    const files: SpecFile[] = [];
    let failed = false;
    for (const piece of pieces(source.text)) {
      const key = `${piece.start}:${piece.text}`;
      let file = this.placed.get(key) ?? placed.get(key);
      if (!file) {
        let alone = this.parsed.get(piece.text) ?? parsed.get(piece.text);
        if (!alone) {
          const result = parse(new SourceFile(source.name, piece.text));
          this.piecesParsed++;
          if (result.diagnostics.length > 0) {
            failed = true;
            continue;
          }
          alone = result.file;
        }
        parsed.set(piece.text, alone);
        file = piece.start === 0 ? alone : shifted(alone, piece.start);
      }
      const alone = this.parsed.get(piece.text) ?? parsed.get(piece.text);
      if (alone) parsed.set(piece.text, alone);
      placed.set(key, file);
      files.push(file);
    }
    this.parsed = parsed;
    this.placed = placed;
    if (failed) return parse(source);
    const file: SpecFile = {
      kind: 'file',
      name: source.name,
      decls: files.flatMap((f) => f.decls),
      comments: files.flatMap((f) => f.comments),
      span: span(source.name, 0, source.text.length),
    };
    return { file, diagnostics: [] };
  }
}
