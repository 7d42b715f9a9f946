// IR -> ONNX ModelProto bytes. Standard ops only (domain ""), float32, one symbolic batch dim `N`.
//
//   conv        Conv (pads [h, w, h, w])            batchnorm   BatchNormalization
//   relu        Relu                                maxpool     MaxPool
//   avgpool     AveragePool (count_include_pad=1 when padded, as PyTorch's default)
//   globalavgpool GlobalAveragePool                 flatten     Flatten(axis 1)
//   concat      Concat(axis 1)                      softmax     Softmax(axis 1)
//   linear      Gemm(transB 1), after a Flatten when its input is not [N, F]
//   dropout     omitted (its users read its input), or Identity
//   add         Add
//   affine      Mul + Add with [C, 1, 1] initializers
//   bnReluConv  BatchNormalization + Relu + Conv, or Mul + Add + Relu + Conv with the BN folded
//               into scale = gamma / sqrt(var + eps), shift = beta - mean * scale
// With head 'logits' a final Softmax is dropped and the output is `logits`.
// With dtype 'float16' initializers and every intermediate value are float16; the graph input
// `image` and the outputs stay float32, with a Cast after the input and before each output.
import onnxProto from 'onnx-proto';
import { deferredLength, type Deferred } from '../ir/deferred.js';
import type { BnParams, ConvParams, Dims, Graph, Node, PoolParams, Tensor, Value } from '../ir/graph.js';
import { exhaustive, IrError, stageOutput } from '../ir/graph.js';
import { protobufWeightLimit } from '../ir/counts.js';
import { fusedScopes, NameAuthority } from './names.js';
import { halfBytes } from './half.js';
import { irVersionFor } from './opset.js';
import { chunks, externalInitializers, field, GRAPH_INITIALIZER, inlineInitializers, joined, MODEL_GRAPH, type Chunks, type Encoding, type LazyPart, type Part, type PendingInitializer } from './frame.js';
import { bnScaleShift } from '../ir/rules.js';
import { hashedAsWritten, type Hashed } from './sha256.js';
import { version } from '../version.js';

const { onnx } = onnxProto;
const { FLOAT, FLOAT16 } = onnx.TensorProto.DataType;
type INodeProto = onnxProto.onnx.INodeProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

export interface EmitOptions {
  /** Checked by the caller (opset.ts): 13..21. Default 17. */
  readonly opset?: number;
  readonly head?: 'softmax' | 'logits';
  /** How a fused bnReluConv node is written. Default 'bn'. */
  readonly fusedForm?: 'bn' | 'affine';
  /** Default 'omit'. */
  readonly dropout?: 'omit' | 'identity';
  /** Verification build: each Table 1 stage's output as an extra graph output `stage.<name>`. */
  readonly stageOutputs?: boolean;
  /** Force external data; it is used anyway when the weights exceed the protobuf limit. */
  readonly externalData?: boolean;
  /** Tests only: the automatic switch to external data at fewer bytes than protobuf's limit. */
  readonly externalDataThreshold?: number;
  /** The external data file's name, relative to the model file. Default `<graph>.onnx.data`. */
  readonly externalDataLocation?: string;
  /** metadata_props, in this order. */
  readonly metadata?: readonly (readonly [string, string])[];
  readonly docString?: string;
  /** Element type of initializers and intermediate values. Default 'float32'. */
  readonly dtype?: 'float32' | 'float16';
}

export interface ExternalData {
  readonly location: string;
  /** The file's bytes as parts, to write one after another. */
  readonly parts: Chunks;
  /** The parts joined (a copy; made when read). */
  readonly bytes: Uint8Array;
}

export interface Emitted {
  /** The model's bytes joined (a copy of the weights; made when read). */
  readonly model: Uint8Array;
  /** The model's bytes as parts, the weights among them as views, to write one after another. */
  readonly modelParts: Chunks;
  /** The part of `modelParts` that holds the graph's nodes and name (GraphProto fields 1 and 2), as written. */
  readonly nodePart: Uint8Array;
  /** Present when the initializers went to an external data file. */
  readonly externalData?: ExternalData;
  readonly inputName: string;
  readonly outputName: string;
  /** Stage name -> graph output name, in a verification build. */
  readonly stageOutputs: ReadonlyMap<string, string>;
}

/** Initializers above this many bytes in total go to external data (protobuf's limit is 2 GiB). */
/** The metadata key of the external data file's SHA-256 (hex). */
export const externalDataKey = 'external_data_sha256';

export const externalDataThreshold = protobufWeightLimit;


class Builder {
  readonly names = new NameAuthority();
  readonly nodes: INodeProto[] = [];
  readonly initializers: PendingInitializer[] = [];
  readonly valueInfo: IValueInfoProto[] = [];
  readonly valueNames = new Map<Value, string>();

  constructor(readonly elemType: number) {}

  node(opType: string, name: string, inputs: string[], output: string, attributes: IAttributeProto[] = []): void {
    this.nodes.push({ opType, name: this.names.claim(name), input: inputs, output: [output], attribute: attributes });
  }

  /** A fresh intermediate value with its value_info. */
  temp(name: string, dims: Dims): string {
    return this.value(`${name}.out`, dims);
  }

  /** An intermediate value named `name` (or the next free name like it). */
  value(name: string, dims: Dims): string {
    const claimed = this.names.claim(name);
    this.valueInfo.push(valueInfo(claimed, dims, this.elemType));
    return claimed;
  }

  initializer(name: string, tensor: Tensor, dims: Dims = tensor.shape): string {
    const values = tensor.data ?? tensor.deferred;
    if (!values) throw new IrError(`parameter ${name} has no data: attach weights before emitting`);
    return this.constant(name, values, dims);
  }

  constant(name: string, values: Float32Array | Deferred, dims: Dims): string {
    const claimed = this.names.claim(name);
    this.initializers.push({ name: claimed, dims, values });
    return claimed;
  }
}

const ints = (name: string, values: readonly number[]): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...values] });
const int = (name: string, i: number): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const float = (name: string, f: number): IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });

function valueInfo(name: string, shape: Dims, elemType: number = FLOAT): IValueInfoProto {
  const dim = [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))];
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function convAttributes(c: ConvParams | PoolParams): IAttributeProto[] {
  return [ints('kernel_shape', c.kernel), ints('pads', [c.pad[0], c.pad[1], c.pad[0], c.pad[1]]), ints('strides', c.stride)];
}

/** Per-channel parameters reshaped to broadcast over [N, C, H, W] (or [N, C]). */
function channelDims(channels: number, rank: number): Dims {
  return rank === 3 ? [channels, 1, 1] : [channels];
}

function emitBn(b: Builder, bn: BnParams, scope: string, input: string, output: string): void {
  const params = [
    b.initializer(`${scope}.weight`, bn.gamma),
    b.initializer(`${scope}.bias`, bn.beta),
    b.initializer(`${scope}.running_mean`, bn.mean),
    b.initializer(`${scope}.running_var`, bn.var),
  ];
  b.node('BatchNormalization', scope, [input, ...params], output, [float('epsilon', bn.eps)]);
}

function emitConv(b: Builder, conv: ConvParams, scope: string, input: string, output: string): void {
  const inputs = [input, b.initializer(`${scope}.weight`, conv.weight)];
  if (conv.bias) inputs.push(b.initializer(`${scope}.bias`, conv.bias));
  b.node('Conv', scope, inputs, output, convAttributes(conv));
}

/** scale = gamma / sqrt(var + eps), shift = beta - mean * scale (ir/rules.ts), rounded to float32. */
export function foldBn(bn: BnParams): { scale: Float32Array; shift: Float32Array } {
  const { scale, shift } = bnScaleShift(bn);
  return { scale: Float32Array.from(scale), shift: Float32Array.from(shift) };
}

function emitNode(b: Builder, node: Node, input: string[], output: string, options: EmitOptions): void {
  const op = node.op;
  const scope = node.scope;
  const x = node.inputs[0];
  switch (op.kind) {
    case 'conv':
      return emitConv(b, op, scope, input[0], output);
    case 'batchnorm':
      return emitBn(b, op, scope, input[0], output);
    case 'relu':
      return b.node('Relu', scope, input, output);
    case 'maxpool':
      return b.node('MaxPool', scope, input, output, convAttributes(op));
    case 'avgpool': {
      const padded = op.pad[0] > 0 || op.pad[1] > 0;
      return b.node('AveragePool', scope, input, output, [...convAttributes(op), ...(padded ? [int('count_include_pad', 1)] : [])]);
    }
    case 'globalavgpool':
      return b.node('GlobalAveragePool', scope, input, output);
    case 'flatten':
      return b.node('Flatten', scope, input, output, [int('axis', 1)]);
    case 'concat':
      return b.node('Concat', scope, input, output, [int('axis', 1)]);
    case 'softmax':
      return b.node('Softmax', scope, input, output, [int('axis', 1)]);
    case 'dropout':
      return b.node('Identity', scope, input, output);
    case 'add':
      return b.node('Add', scope, input, output);
    case 'linear': {
      let flat = input[0];
      if (x.shape.length !== 1) {
        flat = b.temp(`${scope}.flatten`, [x.shape.reduce((p, d) => p * d, 1)]);
        b.node('Flatten', `${scope}.flatten`, input, flat, [int('axis', 1)]);
      }
      const inputs = [flat, b.initializer(`${scope}.weight`, op.weight)];
      if (op.bias) inputs.push(b.initializer(`${scope}.bias`, op.bias));
      return b.node('Gemm', scope, inputs, output, [int('transB', 1)]);
    }
    case 'affine': {
      const dims = channelDims(op.scale.shape[0], x.shape.length);
      const scaled = b.temp(`${scope}.mul`, x.shape);
      b.node('Mul', `${scope}.mul`, [input[0], b.initializer(`${scope}.scale`, op.scale, dims)], scaled);
      return b.node('Add', `${scope}.add`, [scaled, b.initializer(`${scope}.shift`, op.shift, dims)], output);
    }
    case 'bnReluConv': {
      const s = fusedScopes(scope);
      const normed = b.temp(s.bn, x.shape);
      if ((options.fusedForm ?? 'bn') === 'bn') {
        emitBn(b, op.bn, s.bn, input[0], normed);
      } else {
        const { scale, shift } = foldBn(op.bn);
        const dims = channelDims(scale.length, x.shape.length);
        const scaled = b.temp(`${s.bn}.mul`, x.shape);
        b.node('Mul', `${s.bn}.mul`, [input[0], b.constant(`${s.bn}.scale`, scale, dims)], scaled);
        b.node('Add', `${s.bn}.add`, [scaled, b.constant(`${s.bn}.shift`, shift, dims)], normed);
      }
      const activated = b.temp(s.relu, x.shape);
      b.node('Relu', s.relu, [normed], activated);
      return emitConv(b, op.conv, s.conv, activated, output);
    }
    default:
      return exhaustive(op);
  }
}

/** The value a node's output stands for once omitted nodes are skipped. */
function aliases(g: Graph, options: EmitOptions): Map<Value, Value> {
  const alias = new Map<Value, Value>();
  for (const n of g.nodes) {
    if (n.op.kind === 'dropout' && (options.dropout ?? 'omit') === 'omit') alias.set(n.output, n.inputs[0]);
  }
  const last = g.output.producer;
  if (options.head === 'logits' && last?.op.kind === 'softmax') alias.set(last.output, last.inputs[0]);
  return alias;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) for (let j = 0; j < 4; j++) swapped[i + j] = bytes[i + 3 - j];
  return swapped;
}

/** Emits `g` (weights attached) as ONNX bytes. Throws IrError only on densec bugs. */
export function emitOnnx(g: Graph, options: EmitOptions = {}): Emitted {
  const opset = options.opset ?? 17;
  const half = options.dtype === 'float16';
  const b = new Builder(half ? FLOAT16 : FLOAT);
  const alias = aliases(g, options);
  const resolve = (v: Value): Value => {
    let r = v;
    while (alias.has(r)) r = alias.get(r)!;
    return r;
  };

  const inputName = b.names.claim('image');
  const final = resolve(g.output);
  const outputName = b.names.claim(final.producer?.op.kind === 'softmax' ? 'probabilities' : 'logits');
  // In float16 the graph computes on `image.float16` and makes `<output>.float16`.
  const innerInput = half ? b.value(`${inputName}.float16`, g.input.shape) : inputName;
  const innerOutput = half ? b.value(`${outputName}.float16`, final.shape) : outputName;
  if (half) b.node('Cast', `${inputName}.cast`, [inputName], innerInput, [int('to', FLOAT16)]);
  b.valueNames.set(g.input, innerInput);
  if (final === g.input) b.node('Identity', 'output', [innerInput], innerOutput);
  else b.valueNames.set(final, innerOutput);

  for (const node of g.nodes) {
    if (alias.has(node.output)) continue;
    const inputs = node.inputs.map((v) => {
      const name = b.valueNames.get(resolve(v));
      if (name === undefined) throw new IrError(`node ${node.id} (${node.scope}) reads a value that no earlier node makes`);
      return name;
    });
    let output = b.valueNames.get(node.output);
    if (output === undefined) {
      output = b.temp(node.scope, node.output.shape);
      b.valueNames.set(node.output, output);
    }
    emitNode(b, node, inputs, output, options);
  }

  if (half) b.node('Cast', `${outputName}.cast`, [innerOutput], outputName, [int('to', FLOAT)]);
  const outputs = [valueInfo(outputName, final.shape)];
  const stageOutputs = new Map<string, string>();
  if (options.stageOutputs) {
    for (const stage of g.stages) {
      const v = stageOutput(g, stage.name);
      if (!v) continue;
      const name = b.names.claim(`stage.${stage.name}`);
      const source = b.valueNames.get(resolve(v))!;
      if (half) b.node('Cast', name, [source], name, [int('to', FLOAT)]);
      else b.node('Identity', name, [source], name);
      outputs.push(valueInfo(name, resolve(v).shape));
      stageOutputs.set(stage.name, name);
    }
  }

  const encoding: Encoding = half
    ? { dataType: FLOAT16, width: 2, encode: halfBytes, isView: false }
    : { dataType: FLOAT, width: 4, encode: littleEndianBytes, isView: littleEndian };
  const count = (v: Float32Array | Deferred): number => (v instanceof Float32Array ? v.length : deferredLength(v));
  const totalBytes = b.initializers.reduce((sum, t) => sum + count(t.values), 0) * encoding.width;
  const external = options.externalData === true || totalBytes > (options.externalDataThreshold ?? externalDataThreshold);
  const location = options.externalDataLocation ?? `${g.name}.onnx.data`;
  const tensors = external ? externalInitializers(b.initializers, location, encoding) : inlineInitializers(b.initializers, encoding);

  // protobufjs encodes the small messages; the initializers are framed by hand around their
  // bytes (views of the weights, not copies), in the fields' declared order as protobufjs would.
  const modelHead = onnx.ModelProto.encode({
    irVersion: irVersionFor(opset),
    producerName: 'densec',
    producerVersion: version,
    docString: options.docString ?? '',
  }).finish();
  const graphHead = onnx.GraphProto.encode({ node: b.nodes, name: g.name }).finish();
  const graphTail = onnx.GraphProto.encode({
    input: [valueInfo(inputName, g.input.shape)],
    output: outputs,
    valueInfo: b.valueInfo,
  }).finish();
  // The data file's SHA-256, so that a reader can tell this model's data file from another's: taken
  // as the data file is written, when it is written first (the model's tail is made when written).
  const hashed = tensors.external ? hashedAsWritten(tensors.external) : undefined;
  const tail = (digest?: string): Uint8Array =>
    onnx.ModelProto.encode({
      opsetImport: [{ domain: '', version: opset }],
      metadataProps: [...(options.metadata ?? []), ...(digest !== undefined ? [[externalDataKey, digest] as const] : [])].map(([key, value]) => ({ key, value })),
    }).finish();
  const modelTail: Part = hashed ? digestTail(tail, hashed) : tail();
  const graph = chunks([graphHead, ...tensors.initializer.flatMap((t) => field(GRAPH_INITIALIZER, t)).flatMap((c) => c.parts), graphTail]);
  const model = chunks([modelHead, ...field(MODEL_GRAPH, graph).flatMap((c) => c.parts), modelTail]);
  return {
    modelParts: model,
    nodePart: graphHead,
    get model(): Uint8Array {
      return joined(model);
    },
    ...(hashed ? { externalData: externalFile(location, hashed.data) } : {}),
    inputName,
    outputName,
    stageOutputs,
  };
}

/** The model's tail with the data file's digest, made when written; a digest is always 64 hex digits, so its length is known before. */
function digestTail(tail: (digest: string) => Uint8Array, hashed: Hashed): LazyPart {
  const length = tail('0'.repeat(64)).length;
  return {
    length,
    write(into: Uint8Array): void {
      const bytes = tail(hashed.hex());
      if (bytes.length !== length) throw new Error(`the model's tail is ${bytes.length} bytes, not ${length}`);
      into.set(bytes);
    },
  };
}

function externalFile(location: string, data: Chunks): ExternalData {
  return {
    location,
    parts: data,
    get bytes(): Uint8Array {
      return joined(data);
    },
  };
}

export { joined, type Chunks } from './frame.js';
