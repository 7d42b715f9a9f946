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
  return (onnx.GraphProto.decode(graphBytes).node as onnxProto.onnx.NodeProto[]).map((n) => n.opType);
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
