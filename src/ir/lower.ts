// Lowering: the elaborated ModelSpec -> the graph IR, in torchvision's DenseNet structure.
//
//   dense layer l of block b (scope features.denseblock{b}.denselayer{l}):
//     concat(x0, f1, ..., f(l-1))        one Concat of all earlier features (none for l = 1)
//     norm1, relu1, conv1 1x1 -> bottleneck, [dropout1], norm2, relu2, conv2 3x3 pad 1 -> growth,
//     [dropout2]; without a bottleneck: norm1, relu1, conv1 3x3 pad 1 -> growth, [dropout1]
//   block output: concat(x0, f1, ..., fn)          (scope features.denseblock{b}.concat)
//   transition t: norm, relu, conv 1x1 -> floor(theta * m), [dropout], pool (avg 2x2 stride 2)
//   loose layers: stem features.conv0/norm0/relu0/pool0; head features.norm5, features.relu5,
//     features.pool5 (global), flatten, classifier, softmax (see stages.ts)
// A `linear` on a [C, 1, 1] map gets a flatten before it; on a larger map it is an error.
// BatchNorm eps is 1e-5 (torchvision's default). Parameter tensors get shapes, no data.
//
// Lowering stops at the first shape or size error: later shapes would be meaningless.
import type { BlockSpec, ModelSpec, Pair, SpecLayer, TransitionSpec } from '../check/spec.js';
import { diagnostic, hasErrors, type Args, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Code } from '../diagnostics/catalog.js';
import type { Span } from '../diagnostics/span.js';
import { paramTensors } from './counts.js';
import { addNode, createGraph, elementCount, exhaustive, type BnParams, type Dims, type Graph, type Op, type Tensor, type Value } from './graph.js';
import { transitionChannels } from './rules.js';
import { looseScope, planStages, ScopeNames, stageLabel } from './stages.js';
import { grouped } from '../diagnostics/grouped.js';

export const BN_EPS = 1e-5;

/** ONNX runtimes index tensor elements with int32 (onnxruntime's CUDA kernels, Concat, ...). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;
/** One initializer's raw_data is a protobuf `bytes` field: at most 2^31 - 1 bytes. */
export const MAX_INITIALIZER_BYTES = 2 ** 31 - 1;
/**
 * A protobuf message (the whole ModelProto, written without external data) is at most 2 GiB;
 * 64 MiB of it is kept for nodes, names and metadata (densenet264's graph needs well under 1 MiB).
 */
/** Concat inputs per block (sum over its layers): keeps lowering fast and memory bounded. */
export const MAX_BLOCK_CONCAT_INPUTS = 2_000_000;

export interface Lowered {
  readonly graph: Graph | undefined;
  readonly diagnostics: Diagnostic[];
}

export function lower(spec: ModelSpec): Lowered {
  const { stageOf, stages } = planStages(spec.layers);
  const input = [spec.input.channels, spec.input.height, spec.input.width];
  const g = createGraph(spec.name, input, stages);
  const lo = new Lowering(g, spec);
  let x = g.input;
  for (let i = 0; i < spec.layers.length && !lo.stopped; i++) {
    const layer = spec.layers[i];
    const next = spec.layers[i + 1];
    if (layer.kind === 'softmax' && next) lo.error('D0506', layer.span, { next: keyword(next) });
    x = lo.layer(layer, x, stageOf[i]);
  }
  g.output = x;
  return { graph: hasErrors(lo.diagnostics) ? undefined : g, diagnostics: lo.diagnostics };
}

const hw = (s: Dims): string => `${Math.max(0, s[1])}x${Math.max(0, s[2])}`;
const showShape = (s: Dims): string => `[${s.join(', ')}]`;
const tensor = (shape: Dims): Tensor => ({ shape, data: undefined });

function keyword(layer: SpecLayer): string {
  return layer.kind === 'globalpool' ? 'avgpool global' : layer.kind;
}

/** How messages name the statement being lowered. */
function describe(layer: SpecLayer, stage: string): string {
  switch (layer.kind) {
    case 'block':
      return `dense block ${layer.index}`;
    case 'transition':
      return `transition ${layer.index}`;
    case 'conv':
    case 'maxpool':
    case 'avgpool':
      return `\`${layer.kind} ${layer.kernel[0]}x${layer.kernel[1]}\` in the ${stageLabel(stage)} stage`;
    default:
      return `\`${keyword(layer)}\` in the ${stageLabel(stage)} stage`;
  }
}

class Lowering {
  readonly diagnostics: Diagnostic[] = [];
  stopped = false;
  private readonly scopes = new ScopeNames();
  /** The statement being lowered. */
  private at: { span: Span; stage: string; what: string } = { span: { file: '', start: 0, end: 0 }, stage: '', what: '' };

  constructor(
    private readonly g: Graph,
    private readonly spec: ModelSpec,
  ) {}

  error(code: Code, span: Span, args: Args): void {
    this.diagnostics.push(diagnostic(code, span, args));
  }

  private fatal(code: Code, args: Args): void {
    this.error(code, this.at.span, args);
    this.stopped = true;
  }

  layer(layer: SpecLayer, x: Value, stage: string): Value {
    this.at = { span: layer.span, stage, what: describe(layer, stage) };
    const loose = (kind: Parameters<typeof looseScope>[0]) => looseScope(kind, stage);
    switch (layer.kind) {
      case 'block':
        return this.needsMap(x) ? this.block(layer, x) : x;
      case 'transition':
        return this.needsMap(x) ? this.transition(layer, x) : x;
      case 'conv':
        if (!this.needsMap(x)) return x;
        return this.node(convOp(x.shape[0], layer.kernel, layer.stride, layer.pad, layer.out, layer.bias), [x], loose('conv'));
      case 'maxpool':
      case 'avgpool':
        if (!this.needsMap(x)) return x;
        return this.node({ kind: layer.kind, kernel: layer.kernel, stride: layer.stride, pad: layer.pad }, [x], loose('pool'));
      case 'globalpool':
        return this.needsMap(x) ? this.node({ kind: 'globalavgpool' }, [x], loose('pool')) : x;
      case 'bn':
        return this.node(bnOp(x.shape[0]), [x], loose('bn'));
      case 'relu':
        return this.node({ kind: 'relu' }, [x], loose('relu'));
      case 'dropout':
        return this.node({ kind: 'dropout', rate: layer.rate }, [x], loose('dropout'));
      case 'softmax':
        return this.node({ kind: 'softmax' }, [x], loose('softmax'));
      case 'linear': {
        let flat = x;
        if (x.shape.length === 3) {
          if (x.shape[1] * x.shape[2] !== 1) {
            this.fatal('D0505', { shape: `${x.shape[0]}x${x.shape[1]}x${x.shape[2]}` });
            return x;
          }
          flat = this.node({ kind: 'flatten' }, [x], loose('flatten'));
        }
        const op: Op = { kind: 'linear', outFeatures: layer.out, weight: tensor([layer.out, flat.shape[0]]), bias: tensor([layer.out]) };
        return this.node(op, [flat], loose('linear'));
      }
      default:
        return exhaustive(layer);
    }
  }

  /** Spatial layers need a [C, H, W] input; after a `linear` there is only a vector. */
  private needsMap(x: Value): boolean {
    if (x.shape.length === 3) return true;
    this.fatal('D0507', { what: this.at.what, features: grouped(x.shape[0]) });
    return false;
  }

  private block(b: BlockSpec, x0: Value): Value {
    const n = b.layers;
    const inputs = (n * (n + 1)) / 2 - 1 + (n + 1);
    if (inputs > MAX_BLOCK_CONCAT_INPUTS) {
      this.fatal('D0509', { index: b.index, layers: grouped(n), inputs: grouped(inputs), limit: grouped(MAX_BLOCK_CONCAT_INPUTS) });
      return x0;
    }
    const prefix = `features.denseblock${b.index}`;
    const features = [x0];
    for (let l = 1; l <= n && !this.stopped; l++) {
      const scope = `${prefix}.denselayer${l}`;
      let h = features.length === 1 ? x0 : this.node({ kind: 'concat' }, features, `${scope}.concat`);
      if (b.bottleneck !== undefined) {
        h = this.composite(h, scope, '1', 1, b.bottleneck, b.dropout);
        h = this.composite(h, scope, '2', 3, b.growth, b.dropout);
      } else {
        h = this.composite(h, scope, '1', 3, b.growth, b.dropout);
      }
      features.push(h);
    }
    if (this.stopped || features.length === 1) return features[features.length - 1];
    return this.node({ kind: 'concat' }, features, `${prefix}.concat`);
  }

  /** BN-ReLU-Conv (k x k, pad floor(k/2), no bias), then dropout when the rate is above 0. */
  private composite(x: Value, scope: string, n: string, k: number, out: number, dropout: number): Value {
    const norm = this.node(bnOp(x.shape[0]), [x], `${scope}.norm${n}`);
    const relu = this.node({ kind: 'relu' }, [norm], `${scope}.relu${n}`);
    const p = Math.floor(k / 2);
    const conv = this.node(convOp(x.shape[0], [k, k], [1, 1], [p, p], out, false), [relu], `${scope}.conv${n}`);
    return dropout > 0 ? this.node({ kind: 'dropout', rate: dropout }, [conv], `${scope}.dropout${n}`) : conv;
  }

  private transition(t: TransitionSpec, x: Value): Value {
    const m = x.shape[0];
    const out = transitionChannels(t.theta, m);
    if (out < 1) {
      this.fatal('D0508', { index: t.index, compression: t.compression, channels: m });
      return x;
    }
    const scope = `features.transition${t.index}`;
    const norm = this.node(bnOp(m), [x], `${scope}.norm`);
    const relu = this.node({ kind: 'relu' }, [norm], `${scope}.relu`);
    let h = this.node(convOp(m, [1, 1], [1, 1], [0, 0], out, false), [relu], `${scope}.conv`);
    if (t.dropout > 0) h = this.node({ kind: 'dropout', rate: t.dropout }, [h], `${scope}.dropout`);
    return this.node({ kind: 'avgpool', kernel: [2, 2], stride: [2, 2], pad: [0, 0] }, [h], `${scope}.pool`);
  }

  /** Adds a node for the current statement and checks its output shape and parameter sizes. */
  private node(op: Op, inputs: Value[], scope: string): Value {
    if (this.stopped) return inputs[0];
    const { span, stage, what } = this.at;
    // Every scope goes through ScopeNames: a loose layer must not take a block's or transition's name.
    const node = addNode(this.g, op, inputs, { span, scope: this.scopes.take(scope), stage });
    const shape = node.output.shape;
    if (shape.length === 3 && (shape[1] < 1 || shape[2] < 1)) {
      const { channels: c, height: h, width: w } = this.spec.input;
      this.fatal('D0501', { what, from: hw(inputs[0].shape), to: hw(shape), input: `${c}x${h}x${w}` });
    } else if (elementCount(shape) > MAX_TENSOR_ELEMENTS) {
      this.fatal('D0502', { what, elements: grouped(elementCount(shape)), limit: grouped(MAX_TENSOR_ELEMENTS), shape: showShape(shape) });
    }
    for (const p of paramTensors(op)) {
      if (this.stopped) break;
      const bytes = 4 * elementCount(p.tensor.shape);
      if (bytes > MAX_INITIALIZER_BYTES) {
        const args = { what, bytes: grouped(bytes), limit: grouped(MAX_INITIALIZER_BYTES), tensor: `${node.scope}.${p.role}`, shape: showShape(p.tensor.shape) };
        this.fatal('D0503', args);
      }
    }
    return node.output;
  }
}

function bnOp(channels: number): Op {
  const bn: BnParams = { eps: BN_EPS, gamma: tensor([channels]), beta: tensor([channels]), mean: tensor([channels]), var: tensor([channels]) };
  return { kind: 'batchnorm', ...bn };
}

function convOp(inChannels: number, kernel: Pair, stride: Pair, pad: Pair, out: number, bias: boolean): Op {
  return {
    kind: 'conv',
    kernel,
    stride,
    pad,
    outChannels: out,
    weight: tensor([out, inChannels, kernel[0], kernel[1]]),
    bias: bias ? tensor([out]) : undefined,
  };
}
