// A naive float64 evaluator of the IR for one sample, written for tests as plainly as possible:
// loops straight from the definitions, no tricks. onnxruntime's results are compared with it.
import type { BnParams, ConvParams, Dims, Graph, PoolParams, Value } from '../../src/ir/graph.js';

type T = { shape: Dims; data: Float64Array };

const at = (t: T, c: number, y: number, x: number): number => t.data[(c * t.shape[1] + y) * t.shape[2] + x];

function conv(x: T, p: ConvParams): T {
  const [C, H, W] = x.shape;
  const [kh, kw] = p.kernel;
  const oh = Math.floor((H + 2 * p.pad[0] - kh) / p.stride[0]) + 1;
  const ow = Math.floor((W + 2 * p.pad[1] - kw) / p.stride[1]) + 1;
  const out = new Float64Array(p.outChannels * oh * ow);
  const w = p.weight.data!;
  for (let o = 0; o < p.outChannels; o++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) {
        let s = p.bias ? p.bias.data![o] : 0;
        for (let c = 0; c < C; c++)
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const iy = y * p.stride[0] - p.pad[0] + i;
              const ix = xx * p.stride[1] - p.pad[1] + j;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) s += w[((o * C + c) * kh + i) * kw + j] * at(x, c, iy, ix);
            }
        out[(o * oh + y) * ow + xx] = s;
      }
  return { shape: [p.outChannels, oh, ow], data: out };
}

function bn(x: T, p: BnParams): T {
  const [C] = x.shape;
  const per = x.data.length / C;
  const out = new Float64Array(x.data.length);
  for (let c = 0; c < C; c++) {
    const s = p.gamma.data![c] / Math.sqrt(p.var.data![c] + p.eps);
    for (let i = 0; i < per; i++) out[c * per + i] = (x.data[c * per + i] - p.mean.data![c]) * s + p.beta.data![c];
  }
  return { shape: x.shape, data: out };
}

/** Max or average (padding counted, as PyTorch's default) pooling. */
function pool(x: T, p: PoolParams, kind: 'max' | 'avg'): T {
  const [C, H, W] = x.shape;
  const oh = Math.floor((H + 2 * p.pad[0] - p.kernel[0]) / p.stride[0]) + 1;
  const ow = Math.floor((W + 2 * p.pad[1] - p.kernel[1]) / p.stride[1]) + 1;
  const out = new Float64Array(C * oh * ow);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) {
        let m = -Infinity;
        let s = 0;
        for (let i = 0; i < p.kernel[0]; i++)
          for (let j = 0; j < p.kernel[1]; j++) {
            const iy = y * p.stride[0] - p.pad[0] + i;
            const ix = xx * p.stride[1] - p.pad[1] + j;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
              m = Math.max(m, at(x, c, iy, ix));
              s += at(x, c, iy, ix);
            }
          }
        out[(c * oh + y) * ow + xx] = kind === 'max' ? m : s / (p.kernel[0] * p.kernel[1]);
      }
  return { shape: [C, oh, ow], data: out };
}

const map = (x: T, f: (v: number) => number): T => ({ shape: x.shape, data: x.data.map(f) });

export function naiveRun(g: Graph, input: Float64Array): Float64Array {
  const values = new Map<Value, T>([[g.input, { shape: g.input.shape, data: input }]]);
  for (const n of g.nodes) {
    const xs = n.inputs.map((v) => values.get(v)!);
    const x = xs[0];
    const op = n.op;
    let y: T;
    switch (op.kind) {
      case 'conv': y = conv(x, op); break;
      case 'batchnorm': y = bn(x, op); break;
      case 'relu': y = map(x, (v) => Math.max(0, v)); break;
      case 'maxpool': y = pool(x, op, 'max'); break;
      case 'avgpool': y = pool(x, op, 'avg'); break;
      case 'globalavgpool': y = pool(x, { kernel: [x.shape[1], x.shape[2]], stride: [1, 1], pad: [0, 0] }, 'avg'); break;
      case 'flatten': y = { shape: [x.data.length], data: x.data }; break;
      case 'concat': {
        const data = new Float64Array(xs.reduce((a, t) => a + t.data.length, 0));
        let o = 0;
        for (const t of xs) { data.set(t.data, o); o += t.data.length; }
        y = { shape: [xs.reduce((a, t) => a + t.shape[0], 0), x.shape[1], x.shape[2]], data };
        break;
      }
      case 'linear': {
        const inF = x.data.length;
        const data = new Float64Array(op.outFeatures);
        for (let o = 0; o < op.outFeatures; o++) {
          let s = op.bias ? op.bias.data![o] : 0;
          for (let i = 0; i < inF; i++) s += op.weight.data![o * inF + i] * x.data[i];
          data[o] = s;
        }
        y = { shape: [op.outFeatures], data };
        break;
      }
      case 'softmax': {
        const m = Math.max(...x.data);
        const e = x.data.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        y = { shape: x.shape, data: e.map((v) => v / s) };
        break;
      }
      case 'dropout': y = x; break;
      case 'affine': {
        const per = x.data.length / x.shape[0];
        y = { shape: x.shape, data: x.data.map((v, i) => v * op.scale.data![Math.floor(i / per)] + op.shift.data![Math.floor(i / per)]) };
        break;
      }
      case 'bnReluConv': y = conv(map(bn(x, op.bn), (v) => Math.max(0, v)), op.conv); break;
    }
    values.set(n.output, y);
  }
  return values.get(g.output)!.data;
}
