// A blocked GEMM for convolutions: C[M x P] = A[M x K] * B[K x P], computed one panel of P at a
// time by a 4 x 4 register micro-kernel. A (the weights) is packed once into [M/4][K][4] float64
// rows; B (a tile of TILE output pixels) is packed by the caller into [TILE/4][K][4] float32
// columns. Accumulation is in float64 (JavaScript numbers), so sums are more accurate than
// float32 kernels.

/** Weights [M, K] packed as [ceil(M/4)][K][4], zero-padded rows. Cached per weight array. */
const packed = new WeakMap<Float32Array, Float64Array>();

export function packWeights(w: Float32Array, m: number, k: number): Float64Array {
  const hit = packed.get(w);
  if (hit) return hit;
  const mb = Math.ceil(m / 4);
  const a = new Float64Array(mb * k * 4);
  for (let r = 0; r < m; r++) {
    const base = (r >> 2) * k * 4 + (r & 3);
    for (let j = 0; j < k; j++) a[base + 4 * j] = w[r * k + j];
  }
  packed.set(w, a);
  return a;
}

/**
 * out[row * ldc + col0 + t] = bias[row] + sum_j A[row, j] * panel column t, for rows < m and
 * columns t < nt. `panel` holds ceil(nt/4) groups of [K][4] starting at element `po`.
 */
export function gemmPanel(
  a: Float64Array, m: number, k: number,
  panel: Float32Array, po: number, nt: number,
  out: Float32Array, oo: number, ldc: number, col0: number,
  bias: Float32Array | undefined,
): void {
  const k4 = 4 * k;
  for (let r0 = 0; r0 < m; r0 += 4) {
    const ao = (r0 >> 2) * k4;
    const rows = Math.min(4, m - r0);
    for (let t = 0; t < nt; t += 4) {
      const bo = po + (t >> 2) * k4;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < k4; j += 4) {
        const x = ao + j;
        const y = bo + j;
        const a0 = a[x], a1 = a[x + 1], a2 = a[x + 2], a3 = a[x + 3];
        const b0 = panel[y], b1 = panel[y + 1], b2 = panel[y + 2], b3 = panel[y + 3];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      const cols = Math.min(4, nt - t);
      const c = oo + r0 * ldc + col0 + t;
      store(out, c, cols, s00, s01, s02, s03, bias ? bias[r0] : 0);
      if (rows > 1) store(out, c + ldc, cols, s10, s11, s12, s13, bias ? bias[r0 + 1] : 0);
      if (rows > 2) store(out, c + 2 * ldc, cols, s20, s21, s22, s23, bias ? bias[r0 + 2] : 0);
      if (rows > 3) store(out, c + 3 * ldc, cols, s30, s31, s32, s33, bias ? bias[r0 + 3] : 0);
    }
  }
}

function store(out: Float32Array, c: number, cols: number, v0: number, v1: number, v2: number, v3: number, b: number): void {
  out[c] = v0 + b;
  if (cols > 1) out[c + 1] = v1 + b;
  if (cols > 2) out[c + 2] = v2 + b;
  if (cols > 3) out[c + 3] = v3 + b;
}
