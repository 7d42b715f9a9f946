// densec's values -> LSP's. Spans are 0-based UTF-16 offsets, LSP positions 0-based UTF-16
// line and character, so a position is SourceFile.position minus one on each axis. File names
// are paths; LSP speaks URIs.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic as LspDiagnostic, Position, Range } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Span } from '../diagnostics/span.js';

/** A file URI -> the path densec names the file by; any other URI stays as it is. */
export function uriToName(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function nameToUri(name: string): string {
  return name.startsWith('/') ? pathToFileURL(name).href : name;
}

export function positionAt(source: SourceFile, offset: number): Position {
  const p = source.position(offset);
  return { line: p.line - 1, character: p.column - 1 };
}

export function offsetAt(source: SourceFile, position: Position): number {
  return source.offset(position.line + 1, position.character + 1);
}

export function rangeOf(source: SourceFile, span: Span): Range {
  return { start: positionAt(source, span.start), end: positionAt(source, span.end) };
}

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/**
 * A diagnostic as the CLI's JSON gives it: the same code, message and span. The label and the
 * help line become related information at the same place, so the message stays the CLI's.
 */
export function toLsp(d: Diagnostic & { span: Span }, sources: (file: string) => SourceFile | undefined): LspDiagnostic | undefined {
  const source = sources(d.span.file);
  if (!source) return undefined;
  const range = rangeOf(source, d.span);
  const here = { uri: nameToUri(d.span.file), range };
  const related = [
    ...(d.label ? [{ location: here, message: d.label }] : []),
    ...d.secondary.flatMap((s) => {
      const other = sources(s.span.file);
      return other ? [{ location: { uri: nameToUri(s.span.file), range: rangeOf(other, s.span) }, message: s.message }] : [];
    }),
    ...(d.help ? [{ location: here, message: `help: ${d.help}` }] : []),
  ];
  return {
    range,
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'densec',
    message: d.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}
