// Reads the initializers of an ONNX model as named tensors, for weight import (weights/import.ts).
// Lives in emit/ because this is the only folder that imports onnx-proto.
//
// Values come from `raw_data` (little-endian) when it is present, else from the typed field of
// the element type (`float_data`, `double_data`, or `int32_data` holding float16/bfloat16 bits).
// Float types are decoded to float32 as safetensors reading does; integer and boolean
// initializers (shape constants of exported models) keep their shape with no data. Initializers
// in external files, and string or complex ones, are reported (D0708); a model that does not
// decode is D0707.
import onnxProto from 'onnx-proto';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeFloats, dtypeSize, halfToFloat, type DType, type NamedTensor } from '../weights/tensor.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

const dtypes: ReadonlyMap<number, DType> = new Map<number, DType>([
  [T.FLOAT, 'F32'], [T.DOUBLE, 'F64'], [T.FLOAT16, 'F16'], [T.BFLOAT16, 'BF16'],
  [T.INT64, 'I64'], [T.INT32, 'I32'], [T.INT16, 'I16'], [T.INT8, 'I8'],
  [T.UINT64, 'U64'], [T.UINT32, 'U32'], [T.UINT16, 'U16'], [T.UINT8, 'U8'], [T.BOOL, 'BOOL'],
]);

export interface InitializersResult {
  /** Undefined when the model does not decode. */
  readonly tensors: Map<string, NamedTensor> | undefined;
  readonly diagnostics: Diagnostic[];
}

/** Decodes the ONNX model in `bytes` (called `file` in messages) and reads its initializers. */
export function readInitializers(bytes: Uint8Array, file: string): InitializersResult {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    // protobufjs says `index out of range: 3 + 1 > 3` when the data ends inside a field.
    const message = (e as Error).message;
    const reason = /index out of range/.test(message) ? `the data ends inside a field (truncated?): ${message}` : message;
    return { tensors: undefined, diagnostics: [diagnostic('D0707', undefined, { file, reason })] };
  }
  if (!model.graph) {
    return { tensors: undefined, diagnostics: [diagnostic('D0707', undefined, { file, reason: 'it has no graph' })] };
  }
  const tensors = new Map<string, NamedTensor>();
  const diagnostics: Diagnostic[] = [];
  for (const init of model.graph.initializer ?? []) {
    const name = init.name ?? '';
    const read = readTensor(init);
    if (typeof read === 'string') diagnostics.push(diagnostic('D0708', undefined, { name, file, reason: read }));
    else tensors.set(name, read);
  }
  return { tensors, diagnostics };
}

type Long = { toNumber(): number };

/** A tensor, or the reason it cannot be read. */
function readTensor(t: onnxProto.onnx.ITensorProto): NamedTensor | string {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return 'its data is in an external file';
  const type = t.dataType ?? 0;
  const dtype = dtypes.get(type);
  if (!dtype) return `element type ${T[type] ?? type} is not supported`;
  const shape = (t.dims ?? []).map((d) => (typeof d === 'number' ? d : (d as Long).toNumber()));
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `its dims ${JSON.stringify(shape)} are not sizes`;
  const count = shape.reduce((a, b) => a * b, 1);

  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const expected = count * dtypeSize[dtype];
    if (raw.length !== expected) return `raw_data has ${raw.length} bytes, ${expected} expected for ${dtype} ${JSON.stringify(shape)}`;
    return { dtype, shape, data: decodeFloats(dtype, raw, 0, count) };
  }
  const typed = typedValues(t, dtype);
  if (typed === undefined) return { dtype, shape, data: undefined };
  if (typed.length !== count) return `it holds ${typed.length} values, ${count} expected for ${JSON.stringify(shape)}`;
  return { dtype, shape, data: Float32Array.from(typed) };
}

/** The values of a float tensor stored in typed fields; undefined for non-float types. */
function typedValues(t: onnxProto.onnx.ITensorProto, dtype: DType): number[] | undefined {
  switch (dtype) {
    case 'F32':
      return t.floatData ?? [];
    case 'F64':
      return t.doubleData ?? [];
    case 'F16':
      return (t.int32Data ?? []).map((bits) => halfToFloat(bits & 0xffff));
    case 'BF16':
      return (t.int32Data ?? []).map((bits) => new Float32Array(new Uint32Array([(bits & 0xffff) << 16]).buffer)[0]);
    default:
      return undefined;
  }
}
