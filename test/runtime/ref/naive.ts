// A naive interpreter for tests: every value in its own NCHW array, every op as the textbook
// loop (direct convolution, no packing), float64 sums. The reference executor must agree.
import type { BnParams, ConvParams, Graph, PoolParams, Value } from '../../../src/ir/graph.js';
import { elementCount, exhaustive } from '../../../src/ir/graph.js';

export function naiveConv(x: Float32Array, [c, h, w]: readonly number[], p: ConvParams, batch: number, [co, ho, wo]: readonly number[], pre?: BnParams): Float32Array {
  const y = new Float32Array(batch * co * ho * wo);
  const [kh, kw] = p.kernel;
  const W = p.weight.data!;
  const input = pre ? bn(x, c, h * w, batch, pre, true) : x;
  for (let n = 0; n < batch; n++)
    for (let o = 0; o < co; o++)
      for (let oy = 0; oy < ho; oy++)
        for (let ox = 0; ox < wo; ox++) {
          let s = p.bias?.data![o] ?? 0;
          for (let i = 0; i < c; i++)
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++) {
                const iy = oy * p.stride[0] - p.pad[0] + a;
                const ix = ox * p.stride[1] - p.pad[1] + b;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                s += W[((o * c + i) * kh + a) * kw + b] * input[((n * c + i) * h + iy) * w + ix];
              }
          y[((n * co + o) * ho + oy) * wo + ox] = s;
        }
  return y;
}

function bn(x: Float32Array, c: number, hw: number, batch: number, p: BnParams, relu: boolean): Float32Array {
  const y = new Float32Array(x.length);
  for (let n = 0; n < batch; n++)
    for (let i = 0; i < c; i++)
      for (let j = 0; j < hw; j++) {
        const k = (n * c + i) * hw + j;
        const v = ((x[k] - p.mean.data![i]) / Math.sqrt(p.var.data![i] + p.eps)) * p.gamma.data![i] + p.beta.data![i];
        y[k] = relu ? Math.max(0, v) : v;
      }
  return y;
}

export function naivePool(kind: 'max' | 'avg', x: Float32Array, [c, h, w]: readonly number[], p: PoolParams, batch: number, [, ho, wo]: readonly number[]): Float32Array {
  const y = new Float32Array(batch * c * ho * wo);
  for (let n = 0; n < batch * c; n++)
    for (let oy = 0; oy < ho; oy++)
      for (let ox = 0; ox < wo; ox++) {
        const vals: number[] = [];
        let pads = 0;
        for (let a = 0; a < p.kernel[0]; a++)
          for (let b = 0; b < p.kernel[1]; b++) {
            const iy = oy * p.stride[0] - p.pad[0] + a;
            const ix = ox * p.stride[1] - p.pad[1] + b;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) pads++;
            else vals.push(x[(n * h + iy) * w + ix]);
          }
        y[(n * ho + oy) * wo + ox] = kind === 'max' ? Math.max(...vals) : vals.reduce((s, v) => s + v, 0) / (vals.length + pads);
      }
  return y;
}

export function naiveRun(g: Graph, input: Float32Array, batch: number): Float32Array {
  const values = new Map<Value, Float32Array>([[g.input, input]]);
  for (const node of g.nodes) {
    const x = values.get(node.inputs[0])!;
    const s = node.inputs[0].shape;
    const hw = s.length === 3 ? s[1] * s[2] : 1;
    const op = node.op;
    let y: Float32Array;
    switch (op.kind) {
      case 'conv': y = naiveConv(x, s, op, batch, node.output.shape); break;
      case 'bnReluConv': y = naiveConv(x, s, op.conv, batch, node.output.shape, op.bn); break;
      case 'batchnorm': y = bn(x, s[0], hw, batch, op, false); break;
      case 'affine': y = x.map((v, k) => v * op.scale.data![Math.floor(k / hw) % s[0]] + op.shift.data![Math.floor(k / hw) % s[0]]); break;
      case 'relu': y = x.map((v) => Math.max(0, v)); break;
      case 'maxpool': y = naivePool('max', x, s, op, batch, node.output.shape); break;
      case 'avgpool': y = naivePool('avg', x, s, op, batch, node.output.shape); break;
      case 'globalavgpool': y = new Float32Array(batch * s[0]).map((_, k) => x.subarray(k * hw, (k + 1) * hw).reduce((a, b) => a + b, 0) / hw); break;
      case 'flatten': case 'dropout': y = x; break;
      case 'concat': {
        y = new Float32Array(batch * elementCount(node.output.shape));
        let at = 0;
        for (let n = 0; n < batch; n++)
          for (const v of node.inputs) {
            const e = elementCount(v.shape);
            y.set(values.get(v)!.subarray(n * e, (n + 1) * e), at);
            at += e;
          }
        break;
      }
      case 'linear': {
        const inF = s[0];
        y = new Float32Array(batch * op.outFeatures);
        for (let n = 0; n < batch; n++)
          for (let o = 0; o < op.outFeatures; o++) {
            let acc = op.bias?.data![o] ?? 0;
            for (let i = 0; i < inF; i++) acc += op.weight.data![o * inF + i] * x[n * inF + i];
            y[n * op.outFeatures + o] = acc;
          }
        break;
      }
      case 'softmax': {
        const f = s[0];
        y = new Float32Array(x.length);
        for (let n = 0; n < batch; n++) {
          const row = Array.from(x.subarray(n * f, (n + 1) * f));
          const m = Math.max(...row);
          const e = row.map((v) => Math.exp(v - m));
          const sum = e.reduce((a, b) => a + b, 0);
          e.forEach((v, i) => (y[n * f + i] = v / sum));
        }
        break;
      }
      default: exhaustive(op);
    }
    values.set(node.output, y!);
  }
  return values.get(g.output)!;
}
