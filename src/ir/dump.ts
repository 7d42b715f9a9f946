// A stable text dump of the graph, one line per node, for golden files and debugging:
//
//   %t12 = conv(%t11) k=1x1 s=1 p=0 out=128  [1,128,56,56]  params=32768  macs=102760448  features.denseblock1.denselayer1.conv1  @lib/imagenet.dense:14:3
//
// Values are renumbered densely in node order (%t0 is the graph input), so ids changed by passes
// do not show. Shapes carry the batch dimension 1. A `# Stage label` line opens each stage.
// Running statistics show as `stats=N` on the nodes that have them.
import type { Sources } from '../diagnostics/render.js';
import type { Span } from '../diagnostics/span.js';
import { nodeCounts } from './counts.js';
import { exhaustive, type Graph, type Node, type Op, type Pair, type Value } from './graph.js';

const pair = (p: Pair): string => (p[0] === p[1] ? `${p[0]}` : `${p[0]}x${p[1]}`);
const kernel = (p: Pair): string => `${p[0]}x${p[1]}`;
const window = (o: { kernel: Pair; stride: Pair; pad: Pair }): string => `k=${kernel(o.kernel)} s=${pair(o.stride)} p=${pair(o.pad)}`;

function attributes(op: Op): string {
  switch (op.kind) {
    case 'conv':
      return `${window(op)} out=${op.outChannels}${op.bias ? ' bias' : ''}`;
    case 'bnReluConv':
      return `eps=${op.bn.eps} ${window(op.conv)} out=${op.conv.outChannels}${op.conv.bias ? ' bias' : ''}`;
    case 'batchnorm':
      return `eps=${op.eps}`;
    case 'maxpool':
    case 'avgpool':
      return window(op);
    case 'linear':
      return `out=${op.outFeatures}${op.bias ? ' bias' : ''}`;
    case 'dropout':
      return `rate=${op.rate}`;
    case 'relu':
    case 'globalavgpool':
    case 'flatten':
    case 'concat':
    case 'softmax':
    case 'affine':
    case 'add':
      return '';
    default:
      return exhaustive(op);
  }
}

function where(span: Span, sources: Sources | undefined): string {
  if (span.file === '') return '@-';
  const file = sources?.(span.file);
  if (!file) return `@${span.file}[${span.start}]`;
  const p = file.position(span.start);
  return `@${span.file}:${p.line}:${p.column}`;
}

/** The dump of `g`; with `sources`, spans show as file:line:column, else as file[offset]. */
export function dumpGraph(g: Graph, sources?: Sources): string {
  const names = new Map<Value, string>([[g.input, '%t0']]);
  const name = (v: Value): string => names.get(v) ?? `%?${v.id}`;
  g.nodes.forEach((n, i) => names.set(n.output, `%t${i + 1}`));
  const labels = new Map(g.stages.map((s) => [s.name, s.label]));

  const lines = [`graph ${g.name}(%t0: [1,${g.input.shape.join(',')}])`];
  let stage: string | undefined;
  for (const n of g.nodes) {
    if (n.stage !== stage) {
      stage = n.stage;
      lines.push(`# ${labels.get(stage) ?? stage}`);
    }
    lines.push(nodeLine(n, name, sources));
  }
  lines.push(`return ${name(g.output)}`);
  return lines.join('\n') + '\n';
}

function nodeLine(n: Node, name: (v: Value) => string, sources: Sources | undefined): string {
  const c = nodeCounts(n);
  const attrs = attributes(n.op);
  const head = `${name(n.output)} = ${n.op.kind}(${n.inputs.map(name).join(', ')})${attrs ? ` ${attrs}` : ''}`;
  const stats = c.bnRunningStats > 0 ? `  stats=${c.bnRunningStats}` : '';
  return `${head}  [1,${n.output.shape.join(',')}]  params=${c.learnable}${stats}  macs=${c.macs}  ${n.scope}  ${where(n.span, sources)}`;
}
