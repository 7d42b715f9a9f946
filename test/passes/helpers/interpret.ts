// A reference evaluator of the IR in float64, for small hand-built graphs: the pass tests
// compare a graph before and after a pass on random inputs without going through ONNX.
// Semantics as emitted to ONNX: pools without ceil mode, max pool pads with -inf, average pool
// divides by the window's area (count_include_pad=1, PyTorch's default), dropout is an identity.
import type { BnParams, ConvParams, Graph, Node, PoolParams, Value } from '../../../src/ir/graph.js';
import { elementCount, exhaustive } from '../../../src/ir/graph.js';

type Buf = Float64Array;

function conv(x: Buf, [c, h, w]: readonly number[], p: ConvParams, [o, oh, ow]: readonly number[]): Buf {
  const y = new Float64Array(o * oh * ow);
  const W = p.weight.data!;
  const [kh, kw] = p.kernel;
  for (let oc = 0; oc < o; oc++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let s = p.bias ? p.bias.data![oc] : 0;
        for (let ic = 0; ic < c; ic++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++) {
              const yi = i * p.stride[0] - p.pad[0] + a;
              const xj = j * p.stride[1] - p.pad[1] + b;
              if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
              s += W[((oc * c + ic) * kh + a) * kw + b] * x[(ic * h + yi) * w + xj];
            }
        y[(oc * oh + i) * ow + j] = s;
      }
  return y;
}

function bn(x: Buf, c: number, p: BnParams): Buf {
  const y = new Float64Array(x.length);
  const per = x.length / c;
  for (let ch = 0; ch < c; ch++) {
    const s = p.gamma.data![ch] / Math.sqrt(p.var.data![ch] + p.eps);
    for (let i = ch * per; i < (ch + 1) * per; i++) y[i] = (x[i] - p.mean.data![ch]) * s + p.beta.data![ch];
  }
  return y;
}

const relu = (x: Buf): Buf => x.map((v) => Math.max(0, v));

function pool(kind: 'max' | 'avg', x: Buf, [c, h, w]: readonly number[], p: PoolParams, [, oh, ow]: readonly number[]): Buf {
  const y = new Float64Array(c * oh * ow);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let acc = kind === 'max' ? -Infinity : 0;
        for (let a = 0; a < p.kernel[0]; a++)
          for (let b = 0; b < p.kernel[1]; b++) {
            const yi = i * p.stride[0] - p.pad[0] + a;
            const xj = j * p.stride[1] - p.pad[1] + b;
            if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
            const v = x[(ch * h + yi) * w + xj];
            acc = kind === 'max' ? Math.max(acc, v) : acc + v;
          }
        y[(ch * oh + i) * ow + j] = kind === 'max' ? acc : acc / (p.kernel[0] * p.kernel[1]);
      }
  return y;
}

function evalNode(n: Node, xs: Buf[]): Buf {
  const op = n.op;
  const inShape = n.inputs[0].shape;
  const outShape = n.output.shape;
  const x = xs[0];
  switch (op.kind) {
    case 'conv':
      return conv(x, inShape, op, outShape);
    case 'batchnorm':
      return bn(x, inShape[0], op);
    case 'bnReluConv':
      return conv(relu(bn(x, inShape[0], op.bn)), inShape, op.conv, outShape);
    case 'relu':
      return relu(x);
    case 'maxpool':
      return pool('max', x, inShape, op, outShape);
    case 'avgpool':
      return pool('avg', x, inShape, op, outShape);
    case 'globalavgpool': {
      const per = x.length / inShape[0];
      return Float64Array.from({ length: inShape[0] }, (_, c) => x.subarray(c * per, (c + 1) * per).reduce((a, b) => a + b, 0) / per);
    }
    case 'flatten':
    case 'dropout':
      return x;
    case 'concat': {
      const y = new Float64Array(elementCount(outShape));
      let at = 0;
      for (const part of xs) {
        y.set(part, at);
        at += part.length;
      }
      return y;
    }
    case 'linear': {
      const W = op.weight.data!;
      return Float64Array.from({ length: op.outFeatures }, (_, o) => {
        let s = op.bias ? op.bias.data![o] : 0;
        for (let i = 0; i < x.length; i++) s += W[o * x.length + i] * x[i];
        return s;
      });
    }
    case 'softmax': {
      const m = Math.max(...x);
      const e = x.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    }
    case 'add':
      return x.map((v, i) => v + xs[1][i]);
    case 'affine': {
      const c = inShape[0];
      const per = x.length / c;
      return x.map((v, i) => v * op.scale.data![Math.floor(i / per)] + op.shift.data![Math.floor(i / per)]);
    }
    default:
      return exhaustive(op);
  }
}

/** Every value of the graph for one input sample. */
export function evaluate(g: Graph, input: Float64Array): Map<Value, Buf> {
  const values = new Map<Value, Buf>([[g.input, input]]);
  for (const n of g.nodes) values.set(n.output, evalNode(n, n.inputs.map((v) => values.get(v)!)));
  return values;
}

export function run(g: Graph, input: Float64Array): Buf {
  return evaluate(g, input).get(g.output)!;
}

/** The largest |a - b| / (atol + rtol |b|); at most 1 means "close" in numpy's sense. */
export function closeness(a: Buf, b: Buf, rtol = 1e-4, atol = 1e-5): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
  return worst;
}
