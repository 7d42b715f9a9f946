// Deterministic, seeded weight initialization, as torchvision's DenseNet does it:
//   conv weight   Kaiming normal, fan_in, gain sqrt(2): N(0, 2 / fan_in)     (nn.init.kaiming_normal_)
//   conv bias     U(-1/sqrt(fan_in), 1/sqrt(fan_in))                        (PyTorch's Conv2d default)
//   BN            gamma 1, beta 0, running mean 0, running var 1            (nn.init.constant_)
//   linear weight U(-1/sqrt(in), 1/sqrt(in)), bias 0                        (default; constant_ bias)
//   affine        scale 1, shift 0 (an identity until a pass folds something into it)
// With `randomBnStats`, BN (and affine) parameters are drawn instead: gamma and var from
// U[0.5, 1.5] (var strictly positive), beta and mean from U[-0.5, 0.5], so that tests of BN
// folding see non-trivial statistics.
//
// Every tensor gets its own random stream, seeded from (seed, its parameter name), so a tensor's
// values do not depend on the order of nodes or on what other tensors exist. The generator is
// xoshiro128** with splitmix32 seeding and polar-method normals: integer arithmetic plus V8's
// software Math.log and Math.sqrt, so the bytes are the same on every machine for a given Node major.
import type { BnParams, ConvParams, Graph, Tensor } from './graph.js';
import { elementCount, exhaustive } from './graph.js';

export interface InitOptions {
  readonly seed: number;
  readonly randomBnStats?: boolean;
  /** Replace data that is already there (imported weights). Default: keep it. */
  readonly overwrite?: boolean;
}

/** xoshiro128**: small, fast, and good enough for weights and test inputs. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, stream = '') {
    let x = (seed >>> 0) ^ fnv1a(stream);
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1). */
  uniform(): number {
    return (this.nextU32() + 0.5) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal: Marsaglia's polar method (Box-Muller without sin/cos), both values used. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a over UTF-16 code units: the stream key of a parameter name. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Fills `tensor` with values from `draw`, using the stream named `name`. */
function fill(tensor: Tensor, name: string, options: InitOptions, draw: (rng: Rng) => number): void {
  if (tensor.data && !options.overwrite) return;
  const rng = new Rng(options.seed, name);
  const data = new Float32Array(elementCount(tensor.shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  tensor.data = data;
}

const constant = (c: number) => () => c;

function initConv(conv: ConvParams, scope: string, options: InitOptions): void {
  const [, inChannels, kh, kw] = conv.weight.shape;
  const fanIn = inChannels * kh * kw;
  const std = Math.sqrt(2 / fanIn);
  fill(conv.weight, `${scope}.weight`, options, (r) => std * r.normal());
  if (conv.bias) {
    const bound = 1 / Math.sqrt(fanIn);
    fill(conv.bias, `${scope}.bias`, options, (r) => r.range(-bound, bound));
  }
}

function initBn(bn: BnParams, scope: string, options: InitOptions): void {
  const random = options.randomBnStats ?? false;
  fill(bn.gamma, `${scope}.weight`, options, random ? (r) => r.range(0.5, 1.5) : constant(1));
  fill(bn.beta, `${scope}.bias`, options, random ? (r) => r.range(-0.5, 0.5) : constant(0));
  fill(bn.mean, `${scope}.running_mean`, options, random ? (r) => r.range(-0.5, 0.5) : constant(0));
  fill(bn.var, `${scope}.running_var`, options, random ? (r) => r.range(0.5, 1.5) : constant(1));
}

/**
 * The BN half of a fused `bnReluConv` node is named after the conv it precedes, as torchvision
 * names the pair: conv1 -> norm1, conv2 -> norm2, transition conv -> norm; otherwise `<scope>.bn`.
 */
export function bnScopeOfFused(convScope: string): string {
  const m = /^(.*)\.conv(\d*)$/.exec(convScope);
  return m ? `${m[1]}.norm${m[2]}` : `${convScope}.bn`;
}

/** Fills every parameter tensor of `g` that has no data yet (or all, with `overwrite`). */
export function initWeights(g: Graph, options: InitOptions): void {
  for (const node of g.nodes) {
    const op = node.op;
    switch (op.kind) {
      case 'conv':
        initConv(op, node.scope, options);
        break;
      case 'batchnorm':
        initBn(op, node.scope, options);
        break;
      case 'bnReluConv':
        initBn(op.bn, bnScopeOfFused(node.scope), options);
        initConv(op.conv, node.scope, options);
        break;
      case 'linear': {
        const bound = 1 / Math.sqrt(op.weight.shape[1]);
        fill(op.weight, `${node.scope}.weight`, options, (r) => r.range(-bound, bound));
        if (op.bias) fill(op.bias, `${node.scope}.bias`, options, constant(0));
        break;
      }
      case 'affine': {
        const random = options.randomBnStats ?? false;
        fill(op.scale, `${node.scope}.scale`, options, random ? (r) => r.range(0.5, 1.5) : constant(1));
        fill(op.shift, `${node.scope}.shift`, options, random ? (r) => r.range(-0.5, 0.5) : constant(0));
        break;
      }
      case 'relu':
      case 'maxpool':
      case 'avgpool':
      case 'globalavgpool':
      case 'flatten':
      case 'concat':
      case 'softmax':
      case 'dropout':
      case 'add':
        break;
      default:
        exhaustive(op);
    }
  }
}
