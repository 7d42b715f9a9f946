// Convolution as GEMM, a tile of output pixels at a time: pack the tile's input patches (im2col)
// into a K x TILE panel in the node's planned scratch, then multiply by the packed weights
// (gemm.ts). A 1x1, stride 1, unpadded conv packs straight rows of its input, applying a fused
// BN-ReLU while packing, so its normalized input is never stored. Other convs first copy one
// sample zero-padded into scratch (BN-ReLU applied, so the padding pads the ReLU's output, as
// it should), which leaves packing without bounds checks.
import type { ConvParams } from '../../ir/graph.js';
import { convScratch, isDirect, TILE } from '../../plan/workspace.js';
import { gemmPanel, packWeights } from './gemm.js';
import { at, type View } from './tensor.js';

/** Per-channel y = max(0, x * scale + shift), applied to the conv's input. */
export interface PreActivation {
  readonly scale: Float32Array;
  readonly shift: Float32Array;
}

export function conv2d(x: View, y: View, p: ConvParams, batch: number, scratch: number, pre?: PreActivation): void {
  const [cin, h, w] = x.shape;
  const [cout, ho, wo] = y.shape;
  const k = cin * p.kernel[0] * p.kernel[1];
  const a = packWeights(p.weight.data!, cout, k);
  const pixels = ho * wo;
  const direct = isDirect(p);
  const { panel } = convScratch(p, x.shape);
  const padded = scratch + panel;
  for (let n = 0; n < batch; n++) {
    if (!direct) padInput(x.data, at(x, n), cin, h, w, p.pad, y.data, padded, pre);
    for (let p0 = 0; p0 < pixels; p0 += TILE) {
      const nt = Math.min(TILE, pixels - p0);
      if (direct) packRows(x.data, at(x, n), cin, h * w, p0, nt, y.data, scratch, pre);
      else packPatches(y.data, padded, cin, h + 2 * p.pad[0], w + 2 * p.pad[1], p, wo, p0, nt, y.data, scratch);
      gemmPanel(a, cout, k, y.data, scratch, nt, y.data, at(y, n), pixels, p0, p.bias?.data);
    }
  }
}

/** Panel column t = pixel p0 + t of every channel (1x1 conv): [ceil(nt/4)][cin][4]. */
function packRows(x: Float32Array, xo: number, cin: number, hw: number, p0: number, nt: number, panel: Float32Array, po: number, pre?: PreActivation): void {
  const groups = Math.ceil(nt / 4);
  for (let g = 0; g < groups; g++) {
    const base = po + g * 4 * cin;
    const t0 = g * 4;
    const cols = Math.min(4, nt - t0);
    for (let c = 0; c < cin; c++) {
      const src = xo + c * hw + p0 + t0;
      const dst = base + 4 * c;
      const s = pre ? pre.scale[c] : 1;
      const b = pre ? pre.shift[c] : 0;
      for (let j = 0; j < 4; j++) {
        let v = j < cols ? x[src + j] : 0;
        if (pre && j < cols) v = Math.max(0, v * s + b);
        panel[dst + j] = v;
      }
    }
  }
}

/** One sample of the input, zero-padded, BN-ReLU applied first when fused. */
function padInput(x: Float32Array, xo: number, cin: number, h: number, w: number, [ph, pw]: readonly [number, number], out: Float32Array, oo: number, pre?: PreActivation): void {
  const hp = h + 2 * ph;
  const wp = w + 2 * pw;
  out.fill(0, oo, oo + cin * hp * wp);
  for (let c = 0; c < cin; c++) {
    const s = pre ? pre.scale[c] : 1;
    const b = pre ? pre.shift[c] : 0;
    for (let i = 0; i < h; i++) {
      const src = xo + (c * h + i) * w;
      const dst = oo + (c * hp + i + ph) * wp + pw;
      if (!pre) out.copyWithin(dst, src, src + w);
      else for (let j = 0; j < w; j++) out[dst + j] = Math.max(0, x[src + j] * s + b);
    }
  }
}

/**
 * Panel column t = the patch of output pixel p0 + t (im2col) in the padded input,
 * k = (c * kh + i) * kw + j. Columns past `nt` repeat the last one; the GEMM does not store them.
 */
function packPatches(xp: Float32Array, xo: number, cin: number, hp: number, wp: number, p: ConvParams, wo: number, p0: number, nt: number, panel: Float32Array, po: number): void {
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const k = cin * kh * kw;
  const plane = hp * wp;
  const base = (t: number): number => {
    const q = p0 + Math.min(t, nt - 1);
    const oy = Math.floor(q / wo);
    return xo + oy * sh * wp + (q - oy * wo) * sw;
  };
  for (let t = 0; t < nt; t += 4) {
    const b0 = base(t), b1 = base(t + 1), b2 = base(t + 2), b3 = base(t + 3);
    let d = po + (t >> 2) * 4 * k;
    for (let c = 0; c < cin; c++) {
      for (let i = 0; i < kh; i++) {
        const r = c * plane + i * wp;
        for (let j = 0; j < kw; j++, d += 4) {
          const o = r + j;
          panel[d] = xp[b0 + o];
          panel[d + 1] = xp[b1 + o];
          panel[d + 2] = xp[b2 + o];
          panel[d + 3] = xp[b3 + o];
        }
      }
    }
  }
}
