// Source positions. Offsets are 0-based UTF-16 code units, half-open [start, end).
// Line and column are computed only when a diagnostic is rendered (SourceFile.position).

export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/** The smallest span that covers both (same file assumed). */
export function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** A span for things that have no source, e.g. nodes made by a pass from nothing. */
export const noSpan: Span = { file: '', start: 0, end: 0 };
