// Renders diagnostics for people (text, with the source line and a caret) or as data (JSON).
import pc from 'picocolors';
import type { Diagnostic, Label } from './diagnostic.js';
import type { Span } from './span.js';
import { SourceFile } from './source.js';

export interface RenderOptions {
  readonly color?: boolean;
}

/** Looks up a file by the name a span carries. */
export type Sources = (file: string) => SourceFile | undefined;

export function sourcesOf(files: Iterable<SourceFile>): Sources {
  const byName = new Map<string, SourceFile>();
  for (const f of files) byName.set(f.name, f);
  return (name) => byName.get(name);
}

export function renderText(diagnostics: readonly Diagnostic[], sources: Sources, options: RenderOptions = {}): string {
  return diagnostics.map((d) => renderOne(d, sources, options)).join('\n');
}

function renderOne(d: Diagnostic, sources: Sources, options: RenderOptions): string {
  const c = pc.createColors(options.color ?? false);
  const tone = d.severity === 'error' ? c.red : c.yellow;
  const lines = [`${tone(c.bold(`${d.severity}[${d.code}]`))}${c.bold(`: ${d.message}`)}`];
  const snippets: Array<{ span: Span; label: string | undefined; primary: boolean }> = [];
  if (d.span) snippets.push({ span: d.span, label: d.label, primary: true });
  for (const s of d.secondary as Label[]) snippets.push({ span: s.span, label: s.message, primary: false });

  const located = snippets.map((s) => ({ ...s, file: sources(s.span.file) }));
  const width = Math.max(
    1,
    ...located.map((s) => (s.file ? String(s.file.position(s.span.start).line).length : 1)),
  );
  const gutter = ' '.repeat(width);
  for (const s of located) {
    if (!s.file) {
      lines.push(`${gutter}${c.blue('-->')} ${s.span.file}`);
      if (s.label) lines.push(`${gutter} ${c.blue('=')} ${s.label}`);
      continue;
    }
    const pos = s.file.position(s.span.start);
    const endPos = s.file.position(Math.max(s.span.start, s.span.end - 1));
    const text = s.file.lineText(pos.line);
    const caretEnd = endPos.line === pos.line ? endPos.column + 1 : text.length + 1;
    const count = Math.max(1, caretEnd - pos.column);
    const marks = (s.primary ? '^' : '-').repeat(count);
    const mark = s.primary ? tone(marks) : c.blue(marks);
    lines.push(`${gutter}${c.blue('-->')} ${s.span.file}:${pos.line}:${pos.column}`);
    lines.push(`${gutter} ${c.blue('|')}`);
    lines.push(`${c.blue(String(pos.line).padStart(width))} ${c.blue('|')} ${text}`);
    const pad = ' '.repeat(pos.column - 1);
    lines.push(`${gutter} ${c.blue('|')} ${pad}${mark}${s.label ? ` ${s.primary ? tone(s.label) : c.blue(s.label)}` : ''}`);
  }
  if (d.help) lines.push(`${gutter} ${c.blue('=')} ${c.bold('help')}: ${d.help}`);
  return lines.join('\n') + '\n';
}

export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  start?: number;
  end?: number;
  label?: string;
  help?: string;
  secondary: Array<{ file: string; line?: number; column?: number; message: string }>;
}

export function toJson(diagnostics: readonly Diagnostic[], sources: Sources): JsonDiagnostic[] {
  return diagnostics.map((d) => {
    const out: JsonDiagnostic = { code: d.code, severity: d.severity, message: d.message, secondary: [] };
    if (d.span) {
      out.file = d.span.file;
      out.start = d.span.start;
      out.end = d.span.end;
      const f = sources(d.span.file);
      if (f) {
        const a = f.position(d.span.start);
        const b = f.position(d.span.end);
        Object.assign(out, { line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
      }
    }
    if (d.label) out.label = d.label;
    if (d.help) out.help = d.help;
    out.secondary = d.secondary.map((s) => {
      const f = sources(s.span.file);
      const p = f?.position(s.span.start);
      return { file: s.span.file, ...(p ? { line: p.line, column: p.column } : {}), message: s.message };
    });
    return out;
  });
}
