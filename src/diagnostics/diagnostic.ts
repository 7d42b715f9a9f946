// Diagnostics are values: collected per phase, rendered late (render.ts). Never thrown.
import type { Span } from './span.js';
import { catalog, type Code } from './catalog.js';

export type Severity = 'error' | 'warning';

export interface Label {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  /** Lowercase, no trailing period, identifiers in backticks. */
  readonly message: string;
  /** Undefined only for diagnostics about things that have no source (command-line options, files). */
  readonly span: Span | undefined;
  /** Shown under the caret. */
  readonly label?: string;
  readonly secondary: readonly Label[];
  readonly help?: string;
}

export type Args = Readonly<Record<string, string | number>>;

export interface Extra {
  readonly label?: string;
  readonly secondary?: readonly Label[];
  /** Replaces the catalog's help line. */
  readonly help?: string;
}

function fill(template: string, args: Args): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in args ? String(args[key]) : whole,
  );
}

/** Makes a diagnostic from the catalog entry `code`, filling `{name}` placeholders from `args`. */
export function diagnostic(code: Code, span: Span | undefined, args: Args = {}, extra: Extra = {}): Diagnostic {
  const entry = catalog[code];
  const help = extra.help ?? ('help' in entry ? fill(entry.help, args) : undefined);
  const label = extra.label ?? ('label' in entry ? fill(entry.label, args) : undefined);
  return {
    code,
    severity: entry.severity,
    message: fill(entry.message, args),
    span,
    ...(label !== undefined ? { label } : {}),
    secondary: extra.secondary ?? [],
    ...(help !== undefined ? { help } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.span?.file ?? '').localeCompare(b.span?.file ?? '') ||
      (a.span?.start ?? -1) - (b.span?.start ?? -1) ||
      a.code.localeCompare(b.code),
  );
}

/**
 * Appends `more` to `list` one by one: `list.push(...more)` passes each item as an argument, and
 * overflows the stack past about 100,000 (a weights file of 200,000 tensors, a file of bad bytes).
 */
export function append(list: Diagnostic[], more: readonly Diagnostic[]): void {
  for (const d of more) list.push(d);
}
