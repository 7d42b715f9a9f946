// The modules of one model, in the order its forward runs them, read off the -O0 graph so that
// every module path is the scope the ONNX initializers are named after (one source of names):
//
//   features.denseblock{b}.denselayer{l}.*  and  features.denseblock{b}.concat  -> one _DenseBlock
//   features.transition{t}.{norm,relu,conv,[dropout],pool}                      -> one _Transition
//   any other node (stem, head, loose layers)                                   -> one torch.nn module
//
// Loose layers that lowering names inside a block or transition (a `bn` written after a block
// becomes `features.denseblock1.norm`) come after that unit's output; the Python classes run such
// extra children after their own layers, so paths and order both match the graph.
import type { BlockSpec, ModelSpec, TransitionSpec } from '../check/spec.js';
import { exhaustive, IrError, type Graph, type Node, type Pair } from '../ir/graph.js';

export interface ModuleEntry {
  /** torchvision module path, e.g. `features.conv0`. */
  readonly path: string;
  /** The Python expression that builds it. */
  readonly python: string;
  /** A comment for the reader, e.g. the spec's compression. */
  readonly note?: string;
}

const blockNode = /^features\.denseblock(\d+)\.(?:denselayer\d+\.|concat$)/;
const transitionNode = /^features\.transition(\d+)\./;

/** `7` for a square pair, `(3, 5)` otherwise. */
function pair(p: Pair): string {
  return p[0] === p[1] ? String(p[0]) : `(${p[0]}, ${p[1]})`;
}

/** A Python float literal: `0.0`, `0.2`, `0.29`. */
function float(x: number): string {
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Values whose producer returns a fresh tensor: an in-place ReLU there changes nothing else. */
function freshInput(node: Node): boolean {
  const producer = node.inputs[0].producer;
  if (!producer) return false; // the model's input belongs to the caller
  return producer.op.kind !== 'dropout'; // dropout is the identity in eval(): it returns its input
}

/** The torch.nn module of a loose node (outside dense blocks and transitions). */
function looseModule(node: Node): string {
  const op = node.op;
  const x = node.inputs[0].shape;
  switch (op.kind) {
    case 'conv': {
      const bias = op.bias ? '' : ', bias=False';
      return `nn.Conv2d(${x[0]}, ${op.outChannels}, kernel_size=${pair(op.kernel)}, stride=${pair(op.stride)}, padding=${pair(op.pad)}${bias})`;
    }
    case 'batchnorm':
      return x.length === 3 ? `nn.BatchNorm2d(${x[0]})` : `nn.BatchNorm1d(${x[0]})`;
    case 'relu':
      return freshInput(node) ? 'nn.ReLU(inplace=True)' : 'nn.ReLU()';
    case 'maxpool':
    case 'avgpool':
      return poolModule(op.kind, op.kernel, op.stride, op.pad);
    case 'globalavgpool':
      return 'nn.AdaptiveAvgPool2d(1)';
    case 'flatten':
      return 'nn.Flatten(1)';
    case 'linear':
      return `nn.Linear(${x[0]}, ${op.outFeatures}${op.bias ? '' : ', bias=False'})`;
    case 'softmax':
      return 'nn.Softmax(dim=1)';
    case 'dropout':
      return `nn.Dropout(p=${float(op.rate)})`;
    case 'concat':
    case 'bnReluConv':
    case 'affine':
    case 'add':
      throw new IrError(`export reads the unoptimized graph, found \`${op.kind}\` at ${node.scope}`);
    default:
      return exhaustive(op);
  }
}

/**
 * torch's pools take at most half the kernel as padding; ONNX takes any. Beyond half, the padding
 * is written out: zeros before an average pool (the same as count_include_pad=True, densec's
 * AveragePool), -inf before a max pool (the same as ONNX's padding, which never wins a max).
 */
function poolModule(kind: 'maxpool' | 'avgpool', kernel: Pair, stride: Pair, pad: Pair): string {
  const cls = kind === 'maxpool' ? 'nn.MaxPool2d' : 'nn.AvgPool2d';
  const fits = 2 * pad[0] <= kernel[0] && 2 * pad[1] <= kernel[1];
  if (fits) {
    const padding = pad[0] === 0 && pad[1] === 0 ? '' : `, padding=${pair(pad)}`;
    return `${cls}(kernel_size=${pair(kernel)}, stride=${pair(stride)}${padding})`;
  }
  const value = kind === 'maxpool' ? 'float("-inf")' : '0.0';
  const padded = `nn.ConstantPad2d((${pad[1]}, ${pad[1]}, ${pad[0]}, ${pad[0]}), ${value})`;
  return `nn.Sequential(${padded}, ${cls}(kernel_size=${pair(kernel)}, stride=${pair(stride)}))`;
}

function blockModule(b: BlockSpec, inChannels: number): string {
  const bottleneck = b.bottleneck === undefined ? 'None' : String(b.bottleneck);
  return `_DenseBlock(${b.layers}, ${inChannels}, growth_rate=${b.growth}, bottleneck=${bottleneck}, drop_rate=${float(b.dropout)}, memory_efficient=memory_efficient)`;
}

function transitionModule(t: TransitionSpec, inChannels: number, outChannels: number): string {
  const drop = t.dropout > 0 ? `, drop_rate=${float(t.dropout)}` : '';
  return `_Transition(${inChannels}, ${outChannels}${drop})`;
}

/** The modules of `spec`'s -O0 graph `g`, in forward order. */
export function moduleEntries(spec: ModelSpec, g: Graph): ModuleEntry[] {
  const blocks = new Map<number, BlockSpec>();
  const transitions = new Map<number, TransitionSpec>();
  for (const l of spec.layers) {
    if (l.kind === 'block') blocks.set(l.index, l);
    if (l.kind === 'transition') transitions.set(l.index, l);
  }
  const out: ModuleEntry[] = [];
  const seenBlocks = new Set<number>();
  const openTransitions = new Set<number>();
  const doneTransitions = new Set<number>();
  for (const node of g.nodes) {
    const b = blockNode.exec(node.scope);
    if (b) {
      const index = Number(b[1]);
      if (seenBlocks.has(index)) continue;
      seenBlocks.add(index);
      const spec = blocks.get(index);
      if (!spec) throw new IrError(`no dense block ${index} in the spec for ${node.scope}`);
      out.push({ path: `features.denseblock${index}`, python: blockModule(spec, node.inputs[0].shape[0]) });
      continue;
    }
    const t = transitionNode.exec(node.scope);
    if (t && !doneTransitions.has(Number(t[1]))) {
      const index = Number(t[1]);
      if (!openTransitions.has(index)) {
        openTransitions.add(index);
        const spec = transitions.get(index);
        const conv = g.nodes.find((n) => n.scope === `features.transition${index}.conv`);
        if (!spec || conv?.op.kind !== 'conv') throw new IrError(`transition ${index} has no spec or no conv`);
        out.push({ path: `features.transition${index}`, python: transitionModule(spec, node.inputs[0].shape[0], conv.op.outChannels), note: `compression ${spec.compression}` });
      }
      // Its core ends with its average pool; later nodes of that scope are loose layers.
      if (node.scope === `features.transition${index}.pool`) doneTransitions.add(index);
      continue;
    }
    out.push({ path: node.scope, python: looseModule(node) });
  }
  return out;
}
