// Weight import: matches named tensors (from safetensors or ONNX initializers) against the
// parameters of a lowered -O0 graph and, when every one matches, attaches their values.
//
// All mismatches are reported at once, as values: a missing tensor (D0702), a wrong shape
// (D0703), a dtype that cannot become float32 without changing values (D0704), a name given
// twice once legacy names are read (D0706); tensors no parameter uses are warnings (D0705).
// `num_batches_tracked` buffers are skipped. Import is all or nothing: with any error no tensor
// of the graph is touched. On success each Tensor gets a new Float32Array of its own, so no array
// is shared with the caller's map or with another graph imported from it.
// A prefix that every name of the file shares (`module.` from DataParallel, `model.` from some
// training scripts) is stripped, with a warning (D0761), when that makes more names match.
// `partial` (torch's `strict=False`): every tensor that fits is imported, the rest of the graph
// stays seeded; each parameter left seeded is a warning (D0763) after one summary (D0762).
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import type { Graph, Tensor } from '../ir/graph.js';
import { canonicalName, isIgnoredKey, namedParams } from './names.js';
import { formatShape, losslessFloat, type NamedTensor, type TensorMap } from './tensor.js';

export interface ImportResult {
  /** True when every parameter was matched and now holds data. */
  readonly ok: boolean;
  /** How many parameter tensors were filled (0 unless ok). */
  readonly imported: number;
  readonly diagnostics: Diagnostic[];
}

interface Found {
  readonly key: string;
  readonly tensor: NamedTensor;
  used: boolean;
}

export interface ImportOptions {
  /** Import what fits and leave the rest seeded, instead of all or nothing. */
  readonly partial?: boolean;
}

/**
 * The prefix to strip from every key: of the leading segments that every key shares (`module.`,
 * `model.module.`, ...), the shortest run whose removal makes the most keys name a parameter;
 * none unless that is more than without stripping.
 */
export function commonPrefix(keys: readonly string[], params: ReadonlySet<string>): string {
  const matches = (prefix: string): number => keys.filter((k) => params.has(canonicalName(k.slice(prefix.length)))).length;
  let [best, bestCount] = ['', matches('')];
  for (let prefix = ''; ; ) {
    const first = keys[0]?.slice(prefix.length).split('.')[0];
    if (first === undefined || keys.some((k) => !k.startsWith(`${prefix}${first}.`))) return best;
    prefix = `${prefix}${first}.`;
    const count = matches(prefix);
    if (count > bestCount) [best, bestCount] = [prefix, count];
  }
}

/** Imports `tensors` (read from the file called `file`) into the parameters of `g`. */
export function importWeights(g: Graph, tensors: TensorMap, file: string, options: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const params = namedParams(g);
  const keys = [...tensors.keys()].filter((k) => !isIgnoredKey(k));
  const prefix = commonPrefix(keys, new Set(params.map((p) => p.name)));
  if (prefix !== '') diagnostics.push(diagnostic('D0761', undefined, { prefix, file, count: keys.length }));
  const byName = new Map<string, Found>();
  for (const [key, tensor] of tensors) {
    if (isIgnoredKey(key)) continue;
    const name = canonicalName(key.slice(prefix.length));
    const earlier = byName.get(name);
    if (earlier) {
      diagnostics.push(diagnostic('D0706', undefined, { name, file, first: earlier.key, second: key }));
      continue;
    }
    byName.set(name, { key, tensor, used: false });
  }

  const matched: Array<{ target: Tensor; source: Float32Array }> = [];
  for (const { name, tensor: target, node } of params) {
    const at = sourceSpan(node.span);
    const expected = formatShape(target.shape);
    const found = byName.get(name);
    if (!found) {
      diagnostics.push(diagnostic('D0702', at, { name, expected: `float32 ${expected}` }));
      continue;
    }
    found.used = true;
    const { dtype, shape, data } = found.tensor;
    let fits = true;
    if (!losslessFloat.has(dtype) || !data) {
      diagnostics.push(diagnostic('D0704', at, { name, found: dtypeName(dtype) }));
      fits = false;
    }
    if (!sameShape(shape, target.shape)) {
      diagnostics.push(diagnostic('D0703', at, { name, found: formatShape(shape), expected }));
      fits = false;
    }
    if (fits) matched.push({ target, source: data! });
  }

  for (const [, found] of byName) {
    if (!found.used) diagnostics.push(diagnostic('D0705', undefined, { name: found.key, file }));
  }

  const ok = !diagnostics.some((d) => d.severity === 'error');
  if (options.partial && !ok) return importPartially(diagnostics, matched, params.length, file);
  if (ok) for (const { target, source } of matched) target.data = new Float32Array(source);
  return { ok, imported: ok ? matched.length : 0, diagnostics };
}

/** What fits is imported; each parameter error becomes a warning that the parameter stays seeded. */
function importPartially(diagnostics: readonly Diagnostic[], matched: ReadonlyArray<{ target: Tensor; source: Float32Array }>, total: number, file: string): ImportResult {
  if (diagnostics.some((d) => d.code === 'D0706')) return { ok: false, imported: 0, diagnostics: [...diagnostics] };
  const count = (code: string) => diagnostics.filter((d) => d.code === code).length;
  const reasons = [`${count('D0702')} missing`, `${count('D0703')} of another shape`, `${count('D0704')} of another dtype`];
  const out: Diagnostic[] = [diagnostic('D0762', undefined, { file, imported: matched.length, total, seeded: total - matched.length, reasons: reasons.join(', ') })];
  for (const d of diagnostics) {
    if (d.severity !== 'error') out.push(d);
    else out.push(diagnostic('D0763', d.span, { reason: d.message }, d.label !== undefined ? { label: d.label } : {}));
  }
  for (const { target, source } of matched) target.data = new Float32Array(source);
  return { ok: true, imported: matched.length, diagnostics: out };
}


function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Nodes made without a source carry an empty file name: no point showing a caret for them. */
function sourceSpan(span: Span): Span | undefined {
  return span.file === '' ? undefined : span;
}

const dtypeNames: Record<string, string> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I16: 'int16',
  I8: 'int8', U64: 'uint64', U32: 'uint32', U16: 'uint16', U8: 'uint8', BOOL: 'bool',
};

/** torch's spelling, as users know it from their state dicts. */
function dtypeName(dtype: string): string {
  return dtypeNames[dtype] ?? dtype;
}
