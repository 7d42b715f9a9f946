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
// xoshiro128** with splitmix32 seeding and ziggurat normals (Rng.fillNormal): integer arithmetic
// plus V8's software Math.exp and Math.log, so the bytes are the same on every machine for a given
// Node major.
import type { BnParams, ConvParams, Graph, Tensor } from './graph.js';
import { CHUNK, drawKernel, zigguratR, type DrawKernel, type ZigguratTables } from './draw-wasm.js';
import { elementCount, exhaustive, hasValues } from './graph.js';

export interface InitOptions {
  readonly seed: number;
  readonly randomBnStats?: boolean;
  /** Replace data that is already there (imported weights). Default: keep it. */
  readonly overwrite?: boolean;
  /**
   * Conv and linear weights get a recipe (ir/deferred.ts) instead of values, drawn when the
   * file is written: for a caller that writes the emitted parts and reads no weight values.
   */
  readonly defer?: boolean;
}

/** xoshiro128**: small, fast, and good enough for weights and test inputs. */
export class Rng {
  /** s0..s3; a typed array so that the fill loops below step it without a closure. */
  private readonly s = new Int32Array(4);
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, stream = '') {
    let x = (seed >>> 0) ^ fnv1a(stream);
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    return step(this.s) >>> 0;
  }

  /** Uniform in the open interval (0, 1). */
  uniform(): number {
    return (this.nextU32() + 0.5) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Fills `out` with `range(lo, hi)` for each element in turn (in WebAssembly where it runs). */
  fillRange(out: Float32Array, lo: number, hi: number): void {
    const k = kernel();
    if (!k) return this.fillRangeLoop(out, lo, hi);
    this.drawChunks(out, k, (n) => k.uniform(n, lo, hi - lo));
  }

  /** fillRange's definition, in JavaScript: draw-wasm.ts's `uniform` writes the same bytes. */
  fillRangeLoop(out: Float32Array, lo: number, hi: number): void {
    const s = this.s;
    const width = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + width * (((step(s) >>> 0) + 0.5) / 4294967296);
  }

  /**
   * Fills `out` with `std` times standard normals by Marsaglia and Tsang's ziggurat (128
   * layers, "The Ziggurat Method for Generating Random Variables", 2000): one 32-bit draw and a
   * table lookup for 98.8% of the values, Math.exp and Math.log only in the wedges and the tail.
   * About 5x faster than the polar method of `normal`, and a different sequence. In WebAssembly
   * where it runs (draw-wasm.ts, the same values).
   */
  fillNormal(out: Float32Array, std: number): void {
    const k = kernel();
    if (!k) return this.fillNormalLoop(out, std);
    this.drawChunks(out, k, (n) => k.normal(n, std));
  }

  /** Fills `out` a chunk at a time by `draw(n)` into the module's scratch, the state carried across. */
  private drawChunks(out: Float32Array, k: DrawKernel, draw: (n: number) => void): void {
    for (let at = 0; at < out.length; at += CHUNK) {
      const n = Math.min(CHUNK, out.length - at);
      k.state.set(this.s);
      draw(n);
      this.s.set(k.state);
      out.set(k.scratch.subarray(0, n), at);
    }
  }

  /** fillNormal's definition, in JavaScript: draw-wasm.ts's `normal` writes the same bytes. */
  fillNormalLoop(out: Float32Array, std: number): void {
    const { kn, wn } = ziggurat;
    const s = this.s;
    // `step` written out on local copies of the state (stored back around the rare outsideLayer
    // call): stepping the Int32Array itself allocated enough to run a scavenge every 5 ms.
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(s1, 5);
      const hz = Math.imul((x << 7) | (x >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = hz & 127;
      if (Math.abs(hz) < kn[iz]) {
        out[i] = std * (hz * wn[iz]);
      } else {
        // Element by element: an array literal here would be garbage on 1.2% of the draws.
        s[0] = s0;
        s[1] = s1;
        s[2] = s2;
        s[3] = s3;
        out[i] = std * this.outsideLayer(hz, iz);
        s0 = s[0];
        s1 = s[1];
        s2 = s[2];
        s3 = s[3];
      }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** A draw outside its layer's rectangle: the wedge under the curve, the tail, or a redraw. */
  private outsideLayer(hz: number, iz: number): number {
    const { kn, wn, fn } = ziggurat;
    for (;;) {
      if (iz === 0) return this.tail(hz);
      const x = hz * wn[iz];
      if (fn[iz] + this.uniform() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = step(this.s);
      iz = hz & 127;
      if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
    }
  }

  /** The normal tail beyond the ziggurat's base layer, |x| > r (Marsaglia's method). */
  private tail(hz: number): number {
    let x: number;
    let y: number;
    do {
      x = -Math.log(this.uniform()) / zigguratR;
      y = -Math.log(this.uniform());
    } while (y + y < x * x);
    return hz > 0 ? zigguratR + x : -zigguratR - x;
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

let instance: DrawKernel | null | undefined;
/** The draw module's one instance in this process, made on first use. */
const kernel = (): DrawKernel | null => (instance === undefined ? (instance = drawKernel(ziggurat)) : instance);

/** One xoshiro128** step on the state s0..s3: returns the output as a signed 32-bit integer. */
function step(s: Int32Array): number {
  const s1 = s[1];
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const s2 = s[2] ^ s[0];
  const s3 = s[3] ^ s1;
  s[1] = s1 ^ s2;
  s[0] = s[0] ^ s3;
  s[2] = s2 ^ (s1 << 9);
  s[3] = rotl(s3, 11);
  return result | 0;
}

/** The ziggurat's 128 layers for int32 draws: kn thresholds, wn widths, fn densities. */
const ziggurat = ((): ZigguratTables => {
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  const [kn, wn, fn] = [new Float64Array(128), new Float64Array(128), new Float64Array(128)];
  let dn = zigguratR;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * m1;
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * m1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
  return { kn, wn, fn };
})();

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

/** How a tensor is drawn: a constant, uniform in [lo, hi), or normal with this deviation. */
type Draw = { readonly constant: number } | { readonly lo: number; readonly hi: number } | { readonly std: number };

/** Fills `tensor` as `draw` says, using the stream named `name`. */
function fill(tensor: Tensor, name: string, options: InitOptions, draw: Draw): void {
  if (hasValues(tensor) && !options.overwrite) return;
  const data = new Float32Array(elementCount(tensor.shape));
  if ('constant' in draw) data.fill(draw.constant);
  else if ('std' in draw) new Rng(options.seed, name).fillNormal(data, draw.std);
  else new Rng(options.seed, name).fillRange(data, draw.lo, draw.hi);
  tensor.data = data;
  if (tensor.deferred) tensor.deferred = undefined;
}

/** A conv or linear weight: its values, or with `defer` its recipe. */
function fillWeight(tensor: Tensor, name: string, options: InitOptions, draw: { readonly std: number } | { readonly lo: number; readonly hi: number }): void {
  if (!options.defer || (hasValues(tensor) && !options.overwrite)) return fill(tensor, name, options, draw);
  const at = { seed: options.seed, stream: name, length: elementCount(tensor.shape) };
  tensor.deferred = 'std' in draw ? { kind: 'normal', ...at, std: draw.std } : { kind: 'uniform', ...at, lo: draw.lo, hi: draw.hi };
  tensor.data = undefined;
}

const constant = (c: number): Draw => ({ constant: c });
const uniform = (lo: number, hi: number): Draw => ({ lo, hi });

function initConv(conv: ConvParams, scope: string, options: InitOptions): void {
  const [, inChannels, kh, kw] = conv.weight.shape;
  const fanIn = inChannels * kh * kw;
  const std = Math.sqrt(2 / fanIn);
  fillWeight(conv.weight, `${scope}.weight`, options, { std });
  if (conv.bias) {
    const bound = 1 / Math.sqrt(fanIn);
    fill(conv.bias, `${scope}.bias`, options, uniform(-bound, bound));
  }
}

function initBn(bn: BnParams, scope: string, options: InitOptions): void {
  const random = options.randomBnStats ?? false;
  fill(bn.gamma, `${scope}.weight`, options, random ? uniform(0.5, 1.5) : constant(1));
  fill(bn.beta, `${scope}.bias`, options, random ? uniform(-0.5, 0.5) : constant(0));
  fill(bn.mean, `${scope}.running_mean`, options, random ? uniform(-0.5, 0.5) : constant(0));
  fill(bn.var, `${scope}.running_var`, options, random ? uniform(0.5, 1.5) : constant(1));
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
        fillWeight(op.weight, `${node.scope}.weight`, options, { lo: -bound, hi: bound });
        if (op.bias) fill(op.bias, `${node.scope}.bias`, options, constant(0));
        break;
      }
      case 'affine': {
        const random = options.randomBnStats ?? false;
        fill(op.scale, `${node.scope}.scale`, options, random ? uniform(0.5, 1.5) : constant(1));
        fill(op.shift, `${node.scope}.shift`, options, random ? uniform(-0.5, 0.5) : constant(0));
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
