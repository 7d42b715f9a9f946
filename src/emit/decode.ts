// Reading ONNX bytes back, for the verifier and tests: a plain view of a model (no protobuf types
// leak out of emit/), and an edit hook that tests use to tamper with a model.
import onnxProto from 'onnx-proto';
import { sha256Hex } from './sha256.js';

const { onnx } = onnxProto;
type ModelProto = onnxProto.onnx.ModelProto;

export interface TensorInfo {
  readonly name: string;
  /** Symbolic dims as their name (`N`). */
  readonly dims: readonly (number | string)[];
}

export interface InitializerInfo {
  readonly name: string;
  readonly dims: readonly number[];
  readonly elements: number;
  readonly external: boolean;
  /** Where external data is, as the model says (`location` of `external_data`), if it is external. */
  readonly location?: string;
  /** The values, when stored inline as float32 raw data. */
  readonly data: Float32Array | undefined;
}

export interface ModelInfo {
  readonly irVersion: number;
  readonly opset: number;
  readonly producer: string;
  readonly docString: string;
  readonly graphName: string;
  readonly metadata: ReadonlyMap<string, string>;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly valueInfo: readonly TensorInfo[];
  readonly initializers: readonly InitializerInfo[];
  readonly nodes: readonly { readonly opType: string; readonly name: string; readonly inputs: readonly string[]; readonly outputs: readonly string[] }[];
}

const num = (x: number | { toNumber(): number } | null | undefined): number => (x == null ? 0 : typeof x === 'number' ? x : x.toNumber());

function tensorInfo(v: onnxProto.onnx.IValueInfoProto): TensorInfo {
  const dims = v.type?.tensorType?.shape?.dim ?? [];
  return { name: v.name ?? '', dims: dims.map((d) => (d.dimParam ? d.dimParam : num(d.dimValue))) };
}

function floats(raw: Uint8Array): Float32Array {
  const copy = new Uint8Array(raw);
  const view = new DataView(copy.buffer);
  const out = new Float32Array(copy.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Decodes `bytes`; initializer values are decoded too unless `withData` is false. */
export function readModel(bytes: Uint8Array, withData = true): ModelInfo {
  const m = onnx.ModelProto.decode(bytes);
  if (!m.graph) throw new Error('it has no graph');
  const g = m.graph as onnxProto.onnx.GraphProto;
  const initializers = g.initializer as onnxProto.onnx.TensorProto[];
  const nodes = g.node as onnxProto.onnx.NodeProto[];
  return {
    irVersion: num(m.irVersion),
    opset: num(m.opsetImport.find((o) => !o.domain)?.version),
    producer: `${m.producerName} ${m.producerVersion}`,
    docString: m.docString,
    graphName: g.name,
    metadata: new Map((m.metadataProps as onnxProto.onnx.StringStringEntryProto[]).map((p) => [p.key, p.value])),
    inputs: g.input.map(tensorInfo),
    outputs: g.output.map(tensorInfo),
    valueInfo: g.valueInfo.map(tensorInfo),
    initializers: initializers.map((t) => {
      const dims = t.dims.map(num);
      const external = t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL;
      const inline = withData && !external && t.dataType === onnx.TensorProto.DataType.FLOAT && t.rawData.length > 0;
      const location = external ? (t.externalData.find((e) => e.key === 'location')?.value ?? undefined) : undefined;
      return { name: t.name, dims, elements: dims.reduce((a, d) => a * d, 1), external, ...(location !== undefined ? { location } : {}), data: inline ? floats(t.rawData) : undefined };
    }),
    nodes: nodes.map((n) => ({ opType: n.opType, name: n.name, inputs: n.input, outputs: n.output })),
  };
}

/** The op types of the nodes in a GraphProto's bytes (or a part of them holding only its nodes). */
export function readNodeTypes(graphBytes: Uint8Array): string[] {
  const types: string[] = [];
  scanFields(graphBytes, 0, graphBytes.length, (field, start, end) => {
    if (field !== GRAPH_NODE) return;
    let opType = '';
    scanFields(graphBytes, start, end, (f, s, e) => {
      if (f === NODE_OP_TYPE) opType = utf8.decode(graphBytes.subarray(s, e));
    });
    types.push(opType);
  });
  return types;
}

// onnx.proto3's field numbers: GraphProto.node = 1, NodeProto.op_type = 4.
const [GRAPH_NODE, NODE_OP_TYPE] = [1, 4];
const utf8 = new TextDecoder('utf-8');

/**
 * Walks the fields of the message in bytes[at, end) on the wire format alone, calling `visit` with
 * each length-delimited field's number and the bounds of its bytes; other fields are skipped.
 * A node count needs only this: decoding every node with protobufjs (attributes, names) cost a
 * whole-process compile 17 ms.
 */
function scanFields(bytes: Uint8Array, at: number, end: number, visit: (field: number, start: number, end: number) => void): void {
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (at >= end) throw new Error('truncated varint');
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
  };
  while (at < end) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (at + length > end) throw new Error('truncated field');
      visit(field, at, at + length);
      at += length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  if (at !== end) throw new Error('truncated fixed-width field');
}

/** Tests only: decode, let `edit` change the proto in place, encode again. */
export function editModel(bytes: Uint8Array, edit: (model: ModelProto) => void): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  edit(m);
  return onnx.ModelProto.encode(m).finish();
}

/**
 * Why the data file `data` is not the one `info` was written with (the SHA-256 that densec
 * records in the model's metadata differs), or undefined when it is, or when nothing is
 * recorded (a model densec did not write). onnxruntime itself checks only that each tensor's
 * offset and length fit in the file, so it runs a mismatched pair without a word.
 */
export function externalDataMismatch(info: ModelInfo, data: Uint8Array): string | undefined {
  const recorded = info.metadata.get('external_data_sha256');
  if (recorded === undefined) return undefined;
  const found = sha256Hex(data);
  return found === recorded ? undefined : `its SHA-256 is ${found.slice(0, 12)}…, the model records ${recorded.slice(0, 12)}…`;
}
