// NaN and infinite values in imported weights: a model built from them computes NaN for every
// input, so they are named (D0730, a warning) or, with --strict, refused (D0731). Pure data.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TensorMap } from './tensor.js';
import { grouped } from '../diagnostics/grouped.js';

/** The tensors of `tensors` holding a NaN or an infinity, in file order, with their count. */
export function nonFiniteTensors(tensors: TensorMap): { name: string; count: number }[] {
  const found: { name: string; count: number }[] = [];
  for (const [name, t] of tensors) {
    if (!t.data) continue;
    let count = 0;
    for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) count++;
    if (count > 0) found.push({ name, count });
  }
  return found;
}

/** D0730 (or D0731 when `strict`) naming up to five such tensors; undefined when there are none. */
export function nonFiniteDiagnostic(tensors: TensorMap, file: string, strict: boolean): Diagnostic | undefined {
  const found = nonFiniteTensors(tensors);
  if (found.length === 0) return undefined;
  const shown = found.slice(0, 5).map((t) => `\`${t.name}\` (${grouped(t.count)})`);
  const names = found.length > 5 ? `${shown.join(', ')} and ${found.length - 5} more` : shown.join(', ');
  return diagnostic(strict ? 'D0731' : 'D0730', undefined, { file, count: found.length, names });
}
