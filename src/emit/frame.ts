// The hand-framed parts of a ModelProto: each initializer's TensorProto is its header (encoded
// by protobufjs, without the bytes) followed by the raw_data field's tag, length and the bytes
// themselves, a view of the weights, not a copy; the graph and the model are framed the same
// way around their parts. Fields go in their declared order, so the bytes are what protobufjs
// writes for the whole message (test/emit/framing.test.ts), without one buffer holding them all.
import onnxProto from 'onnx-proto';
import { deferredLength, materialize, type Deferred } from '../ir/deferred.js';
import type { Dims } from '../ir/graph.js';

const { onnx } = onnxProto;
type ITensorProto = onnxProto.onnx.ITensorProto;

export interface PendingInitializer {
  readonly name: string;
  readonly dims: Dims;
  /** The values, or their recipe, run when the bytes are written (ir/deferred.ts). */
  readonly values: Float32Array | Deferred;
}

/** Bytes made when they are written (a deferred weight's): `write(into)` fills all `length` of them. */
export interface LazyPart {
  readonly length: number;
  write(into: Uint8Array): void;
}

/** A part of a file: bytes, or bytes made when written. */
export type Part = Uint8Array | LazyPart;

/** Bytes as a list of parts, written in order (a 3 GB model is never one buffer). */
export interface Chunks {
  readonly parts: readonly Part[];
  readonly byteLength: number;
}

export function chunks(parts: readonly Part[]): Chunks {
  return { parts, byteLength: parts.reduce((n, p) => n + p.length, 0) };
}

/** The part's bytes at `into` (exactly its length). */
export function writePart(p: Part, into: Uint8Array): void {
  if (p instanceof Uint8Array) into.set(p);
  else p.write(into);
}

/** One buffer of all the parts (made on demand: small models, tests, sessions from bytes). */
export function joined(c: Chunks): Uint8Array {
  if (c.parts.length === 1 && c.parts[0] instanceof Uint8Array) return c.parts[0];
  const out = new Uint8Array(c.byteLength);
  let at = 0;
  for (const p of c.parts) {
    writePart(p, out.subarray(at, at + p.length));
    at += p.length;
  }
  return out;
}

// Field tags (field number << 3 | wire type 2, length-delimited) of the framed messages.
export const MODEL_GRAPH = (7 << 3) | 2;
export const GRAPH_INITIALIZER = (5 << 3) | 2;
const TENSOR_RAW_DATA = (9 << 3) | 2;

/** A length-delimited field: its tag, the varint length, then the message's parts. */
export function field(tag: number, body: Chunks): Chunks[] {
  return [chunks([varint(tag), varint(body.byteLength)]), body];
}

export function varint(n: number): Uint8Array {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** How an initializer's values become bytes. */
export interface Encoding {
  readonly dataType: number;
  /** Bytes per value. */
  readonly width: number;
  readonly encode: (data: Float32Array) => Uint8Array;
  /** `encode` is a view of the values' own bytes (float32 on a little-endian machine). */
  readonly isView: boolean;
}

export interface Tensors {
  /** Each initializer's TensorProto, as parts. */
  readonly initializer: Chunks[];
  /** The external data file, when the bytes live there. */
  readonly external?: Chunks;
}

function header(t: PendingInitializer, dataType: number, external?: ITensorProto['externalData']): Uint8Array {
  const proto: ITensorProto = { name: t.name, dims: [...t.dims], dataType };
  if (external) Object.assign(proto, { dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: external });
  return onnx.TensorProto.encode(proto).finish();
}

// Where deferred values are made when they cannot go straight to their bytes (float16, a big-
// endian machine, or a destination not aligned to 4 bytes): grown, never shrunk.
let scratch = new Float32Array(0);

/** An initializer's bytes: its values encoded, or a part that makes them when written. */
function valueBytes(values: Float32Array | Deferred, e: Encoding): Part {
  if (values instanceof Float32Array) return e.encode(values);
  const n = deferredLength(values);
  const write = (into: Uint8Array): void => {
    if (e.isView && into.byteOffset % 4 === 0) return materialize(values, new Float32Array(into.buffer, into.byteOffset, n));
    if (scratch.length < n) scratch = new Float32Array(2 ** Math.ceil(Math.log2(n)));
    const floats = scratch.subarray(0, n);
    materialize(values, floats);
    into.set(e.encode(floats));
  };
  return { length: n * e.width, write };
}

export function inlineInitializers(pending: readonly PendingInitializer[], e: Encoding): Tensors {
  const initializer = pending.map((t) => {
    const bytes = valueBytes(t.values, e);
    return chunks([header(t, e.dataType), varint(TENSOR_RAW_DATA), varint(bytes.length), bytes]);
  });
  return { initializer };
}

/** Every initializer's bytes in one file, in order, each at an offset aligned to 64 bytes. */
export function externalInitializers(pending: readonly PendingInitializer[], location: string, e: Encoding): Tensors {
  const align = (n: number): number => Math.ceil(n / 64) * 64;
  const zeros = new Uint8Array(64);
  const data: Part[] = [];
  let offset = 0;
  const initializer = pending.map((t) => {
    const bytes = valueBytes(t.values, e);
    const padded = align(offset + bytes.length);
    data.push(bytes);
    if (padded > offset + bytes.length) data.push(zeros.subarray(0, padded - offset - bytes.length));
    const where = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.length) },
    ];
    offset = padded;
    return chunks([header(t, e.dataType, where)]);
  });
  return { initializer, external: chunks(data) };
}
