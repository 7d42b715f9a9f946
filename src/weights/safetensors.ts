// The safetensors format (Hugging Face): an unsigned 64-bit little-endian header length N, then N
// bytes of UTF-8 JSON, then the data buffer. The header maps each tensor name to
// `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the data buffer), plus an
// optional `__metadata__` of string -> string. Tensors tile the buffer with no holes or overlaps.
//
// Reading checks every bound and reports a malformed file as one D0701 value, never a throw.
// Float dtypes are decoded to float32 (F16 and BF16 exactly, F64 rounded; import refuses F64 so
// that no value changes silently); integer and boolean tensors keep their shape with no data.
// No npm package for this format is on the registry list, and it is small: written here.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeFloats, dtypeSize, isDType, type DType, type NamedTensor } from './tensor.js';

/** Larger headers are refused, as the reference implementation does (100 MB). */
const maxHeaderBytes = 100_000_000;

export interface SafetensorsFile {
  readonly tensors: Map<string, NamedTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ReadResult {
  /** Undefined when the file is malformed; `diagnostics` then says why. */
  readonly file: SafetensorsFile | undefined;
  readonly diagnostics: Diagnostic[];
}

class Malformed extends Error {}

/** Reads a safetensors file from its bytes; `name` is how messages refer to the file. */
export function readSafetensors(bytes: Uint8Array, name: string): ReadResult {
  try {
    return { file: parse(bytes), diagnostics: [] };
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    return { file: undefined, diagnostics: [diagnostic('D0701', undefined, { file: name, reason: e.message })] };
  }
}

interface Entry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function parse(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new Malformed(`it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new Malformed(`the header length says ${headerLength} bytes but only ${bytes.length - 8} follow (truncated?)`);
  }
  const n = Number(headerLength);
  if (n > maxHeaderBytes) throw new Malformed(`the header is ${n} bytes, more than the ${maxHeaderBytes} allowed`);
  if (n < 2) throw new Malformed(`the header is ${n} bytes, too short for a JSON object`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new Malformed('the header is not UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new Malformed(`the header is not JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw new Malformed('the header is not a JSON object');

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata(header['__metadata__']);
  const entries = Object.entries(header)
    .filter(([key]) => key !== '__metadata__')
    .map(([key, value]) => readEntry(key, value, dataLength));
  checkTiling(entries, dataLength);

  const tensors = new Map<string, NamedTensor>();
  for (const e of entries) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: decodeFloats(e.dtype, bytes, dataStart + e.begin, count) });
  }
  return { tensors, metadata };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Malformed('`__metadata__` is not an object');
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new Malformed(`\`__metadata__.${k}\` is not a string`);
  }
  return value as Record<string, string>;
}

function readEntry(name: string, value: unknown, dataLength: number): Entry {
  const where = `tensor \`${name}\``;
  if (!isObject(value)) throw new Malformed(`${where} is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !isDType(dtype)) throw new Malformed(`${where} has an unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw new Malformed(`${where} has a shape that is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new Malformed(`${where} has \`data_offsets\` that are not two non-negative integers`);
  }
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(elements)) throw new Malformed(`${where} has shape [${shape.join(', ')}], more elements than any file can hold`);
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new Malformed(`${where} ends (${end}) before it begins (${begin})`);
  if (end > dataLength) throw new Malformed(`${where} ends at byte ${end} of a data buffer of ${dataLength} bytes (truncated?)`);
  const expected = elements * dtypeSize[dtype];
  if (end - begin !== expected) {
    throw new Malformed(`${where} has ${end - begin} bytes, but ${dtype} of shape [${shape.join(', ')}] needs ${expected}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** The tensors must cover the data buffer exactly: no holes, no overlaps, nothing after. */
function checkTiling(entries: readonly Entry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < at) throw new Malformed(`tensors \`${previous!.name}\` and \`${e.name}\` overlap`);
    if (e.begin > at) throw new Malformed(`bytes ${at} to ${e.begin} of the data buffer belong to no tensor`);
    at = e.end;
    previous = e;
  }
  if (at !== dataLength) throw new Malformed(`bytes ${at} to ${dataLength} of the data buffer belong to no tensor`);
}

/** A tensor to write: float32 values, or raw little-endian bytes of any dtype (for tests). */
export type TensorToWrite =
  | { readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly shape: readonly number[]; readonly dtype: DType; readonly bytes: Uint8Array };

/**
 * Encodes tensors as a safetensors file, in the order given. The header is padded with spaces
 * to a multiple of 8 bytes so that the data is aligned, as the reference implementation does.
 */
export function writeSafetensors(
  tensors: Iterable<readonly [string, TensorToWrite]>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  // Entries, then Object.fromEntries: an assignment `header[name] = ...` would set the prototype
  // for a tensor named `__proto__` and drop it from the JSON.
  const entries: [string, unknown][] = Object.keys(metadata).length > 0 ? [['__metadata__', metadata]] : [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = 'data' in t ? float32Bytes(t.data) : t.bytes;
    const dtype = 'data' in t ? 'F32' : t.dtype;
    entries.push([name, { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] }]);
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(Object.fromEntries(entries));
  const encoder = new TextEncoder();
  while (encoder.encode(json).length % 8 !== 0) json += ' ';
  const head = encoder.encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function float32Bytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}
