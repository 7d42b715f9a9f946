// Convolution as GEMM, a tile of output pixels at a time: pack the tile's input patches (im2col)
// into a K x TILE panel in the node's planned scratch, then multiply by the packed weights
// (gemm.ts). A 1x1, stride 1, unpadded conv packs straight rows of its input. For `bnReluConv`
// the BatchNorm and ReLU are applied while packing, so the normalized input is never stored;
// padding stays zero, as it pads the ReLU's output.
import type { ConvParams } from '../../ir/graph.js';
import { TILE } from '../../plan/workspace.js';
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
  const [kh, kw] = p.kernel;
  const k = cin * kh * kw;
  const a = packWeights(p.weight.data!, cout, k);
  const pixels = ho * wo;
  const direct = kh === 1 && kw === 1 && p.stride[0] === 1 && p.stride[1] === 1 && p.pad[0] === 0 && p.pad[1] === 0;
  for (let n = 0; n < batch; n++) {
    const xo = at(x, n);
    for (let p0 = 0; p0 < pixels; p0 += TILE) {
      const nt = Math.min(TILE, pixels - p0);
      if (direct) packRows(x.data, xo, cin, h * w, p0, nt, y.data, scratch, pre);
      else packPatches(x.data, xo, cin, h, w, p, wo, p0, nt, y.data, scratch, pre);
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

/** Panel column t = the input patch of output pixel p0 + t (im2col), k = (c * kh + i) * kw + j. */
function packPatches(
  x: Float32Array, xo: number, cin: number, h: number, w: number, p: ConvParams, wo: number,
  p0: number, nt: number, panel: Float32Array, po: number, pre?: PreActivation,
): void {
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.pad;
  const k = cin * kh * kw;
  const padded = Math.ceil(nt / 4) * 4;
  for (let t = 0; t < padded; t++) {
    let d = po + (t >> 2) * 4 * k + (t & 3);
    if (t >= nt) {
      for (let kk = 0; kk < k; kk++, d += 4) panel[d] = 0;
      continue;
    }
    const q = p0 + t;
    const oy = Math.floor(q / wo);
    const iy0 = oy * sh - ph;
    const ix0 = (q - oy * wo) * sw - pw;
    for (let c = 0; c < cin; c++) {
      const s = pre ? pre.scale[c] : 1;
      const b = pre ? pre.shift[c] : 0;
      const xc = xo + c * h * w;
      for (let i = 0; i < kh; i++) {
        const iy = iy0 + i;
        const rowOk = iy >= 0 && iy < h;
        const xr = xc + iy * w;
        for (let j = 0; j < kw; j++, d += 4) {
          const ix = ix0 + j;
          let v = 0;
          if (rowOk && ix >= 0 && ix < w) {
            v = x[xr + ix];
            if (pre) v = Math.max(0, v * s + b);
          }
          panel[d] = v;
        }
      }
    }
  }
}
