// `densec fmt` without the I/O: source text -> its canonical text (print.ts), or the syntax
// diagnostics when it does not parse (a file with errors is never rewritten). As a guard against
// printer bugs, the output is parsed again and must give the same tree, comments included; a
// difference is our bug and throws (exit 70), so a broken file is never written.
import type { SpecFile } from '../ast/nodes.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { parse } from '../syntax/parse.js';
import { print } from './print.js';

export interface Formatted {
  /** Undefined when the source has syntax errors. */
  readonly text: string | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function format(source: SourceFile): Formatted {
  const parsed = parse(source);
  if (hasErrors(parsed.diagnostics)) return { text: undefined, diagnostics: parsed.diagnostics };
  const text = print(parsed.file, source);
  const again = parse(new SourceFile(source.name, text));
  const problem = hasErrors(again.diagnostics) ? 'does not parse' : differs(shape(parsed.file), shape(again.file));
  if (problem) throw new Error(`the formatter changed the meaning of ${source.name}: its output ${problem}`);
  return { text, diagnostics: parsed.diagnostics };
}

/** The tree without positions: what formatting must keep. Comments are compared as text. */
function shape(file: SpecFile): unknown {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x === null || typeof x !== 'object') return x;
    return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'span' && k !== 'pathSpan').map(([k, v]) => [k, strip(v)]));
  };
  return { decls: strip(file.decls), comments: file.comments.map((c) => c.text.trimEnd()) };
}

function differs(a: unknown, b: unknown): string | undefined {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x === y) return undefined;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `differs from the source's tree near ${JSON.stringify(x.slice(Math.max(0, i - 40), i + 40))}`;
}
