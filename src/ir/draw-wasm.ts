// The two hot loops of weight drawing (xoshiro128** steps into ziggurat normals, and into
// uniforms) as a 300-byte WebAssembly module, assembled here from opcode names so that no binary
// is committed. The JavaScript loops in weights.ts stay the definition and the fallback (no
// WebAssembly under --jitless): the same integer steps and the same IEEE double arithmetic,
// rounded once to float32, so the module writes the same bytes (property-tested against them).
// Cold, the module runs a compile's 6.9 M draws in a fraction of the time of the JavaScript
// loops, which start in the interpreter and box a double per value until they are optimized.

/** Memory layout (bytes): xoshiro state s0..s3, the draw that left its layer, kn and wn, scratch. */
const STATE = 0;
const MISS = 16;
const KN = 64;
const WN = KN + 128 * 8;
const SCRATCH = 4096;
const PAGES = 5;
/** Values drawn per call into the scratch area, then copied to the caller's array. */
export const CHUNK = (PAGES * 65536 - SCRATCH) / 4;

const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f64Load: 0x2b, i32Store: 0x36, f32Store: 0x38, i32Const: 0x41, f64Const: 0x44,
  i32GeU: 0x4f, f64Lt: 0x63,
  i32Add: 0x6a, i32Mul: 0x6c, i32And: 0x71, i32Xor: 0x73, i32Shl: 0x74, i32Rotl: 0x77,
  f64Abs: 0x99, f64Add: 0xa0, f64Mul: 0xa2, f64Div: 0xa3,
  f32DemoteF64: 0xb6, f64ConvertI32S: 0xb7, f64ConvertI32U: 0xb8,
} as const;
const [i32, f64, void_] = [0x7f, 0x7c, 0x40];

function leb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>>= 7;
    if (n === 0) return [...out, b];
    out.push(b | 0x80);
  }
}
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
const get = (l: number): number[] => [op.localGet, l];
const set = (l: number): number[] => [op.localSet, l];
const i32c = (n: number): number[] => [op.i32Const, ...sleb(n)];
const f64c = (x: number): number[] => [op.f64Const, ...new Uint8Array(new Float64Array([x]).buffer)];
/** Memory access: alignment exponent, then the constant offset. */
const mem = (code: number, align: number, offset: number): number[] => [code, align, ...leb(offset)];

// Locals shared by both functions after their parameters.
const [S0, S1, S2, S3, HZ, T] = [3, 4, 5, 6, 7, 8];
const loadState = [S0, S1, S2, S3].flatMap((s, k) => [...i32c(0), ...mem(op.i32Load, 2, STATE + 4 * k), ...set(s)]);
const storeState = [S0, S1, S2, S3].flatMap((s, k) => [...i32c(0), ...get(s), ...mem(op.i32Store, 2, STATE + 4 * k)]);
/** One xoshiro128** step: HZ = the output as a signed int32, the state advanced (weights.ts's `step`). */
const step = [
  ...get(S1), ...i32c(5), op.i32Mul, ...i32c(7), op.i32Rotl, ...i32c(9), op.i32Mul, ...set(HZ),
  ...get(S1), ...i32c(9), op.i32Shl, ...set(T),
  ...get(S2), ...get(S0), op.i32Xor, ...set(S2),
  ...get(S3), ...get(S1), op.i32Xor, ...set(S3),
  ...get(S1), ...get(S2), op.i32Xor, ...set(S1),
  ...get(S0), ...get(S3), op.i32Xor, ...set(S0),
  ...get(S2), ...get(T), op.i32Xor, ...set(S2),
  ...get(S3), ...i32c(11), op.i32Rotl, ...set(S3),
];
/** The address of scratch value `i` (the constant offset SCRATCH is added by the store). */
const slot = (i: number): number[] => [...get(i), ...i32c(2), op.i32Shl];
const tableEntry = (base: number): number[] => [...get(HZ), ...i32c(127), op.i32And, ...i32c(3), op.i32Shl, ...mem(op.f64Load, 3, base)];

/**
 * normal(i, end, std) -> i32: draws scratch[i..end) as std * hz * wn[iz] while |hz| < kn[iz];
 * returns `end`, or the index of the first draw outside its layer with the state saved and the
 * draw at MISS, for the caller to finish that value in JavaScript.
 */
const normal = (() => {
  const [I, END, STD] = [0, 1, 2];
  return [
    ...vec([[6, i32]]),
    ...loadState,
    op.block, void_,
    op.loop, void_,
    ...get(I), ...get(END), op.i32GeU, op.brIf, 1,
    ...step,
    ...get(HZ), op.f64ConvertI32S, op.f64Abs, ...tableEntry(KN), op.f64Lt,
    op.if, void_,
    ...slot(I), ...get(STD), ...get(HZ), op.f64ConvertI32S, ...tableEntry(WN), op.f64Mul, op.f64Mul, op.f32DemoteF64, ...mem(op.f32Store, 2, SCRATCH),
    ...get(I), ...i32c(1), op.i32Add, ...set(I),
    op.br, 1,
    op.end,
    ...storeState, ...i32c(0), ...get(HZ), ...mem(op.i32Store, 2, MISS), ...get(I), op.return,
    op.end,
    op.end,
    ...storeState, ...get(END),
    op.end,
  ];
})();

/** uniform(end, lo, width): scratch[0..end) = lo + width * ((u32 + 0.5) / 2^32), weights.ts's fillRange. */
const uniform = (() => {
  const [END, LO, WIDTH, I] = [0, 1, 2, 9];
  return [
    ...vec([[6, i32], [1, i32]]),
    ...loadState,
    ...i32c(0), ...set(I),
    op.block, void_,
    op.loop, void_,
    ...get(I), ...get(END), op.i32GeU, op.brIf, 1,
    ...step,
    ...slot(I), ...get(LO), ...get(WIDTH), ...get(HZ), op.f64ConvertI32U, ...f64c(0.5), op.f64Add, ...f64c(4294967296), op.f64Div, op.f64Mul, op.f64Add, op.f32DemoteF64, ...mem(op.f32Store, 2, SCRATCH),
    ...get(I), ...i32c(1), op.i32Add, ...set(I),
    op.br, 0,
    op.end,
    op.end,
    ...storeState,
    op.end,
  ];
})();

/** The module's bytes. */
export function drawModuleBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[i32], [i32], [f64]]), ...vec([[i32]])], [0x60, ...vec([[i32], [f64], [f64]]), ...vec([])]])),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, ...leb(PAGES)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('normal'), 0x00, 0], [...name('uniform'), 0x00, 1]])),
    ...section(10, vec([normal, uniform].map((body) => [...leb(body.length), ...body]))),
  ]);
}

export interface DrawKernel {
  /** The xoshiro state s0..s3 the loops start from and leave behind. */
  readonly state: Int32Array;
  /** The draw that left its layer, after `normal` returned early. */
  readonly miss: Int32Array;
  /** The values drawn by the last call. */
  readonly scratch: Float32Array;
  normal(start: number, end: number, std: number): number;
  uniform(end: number, lo: number, width: number): void;
}

/** An instance of the module with the ziggurat's kn and wn in place, or null without WebAssembly. */
export function drawKernel(kn: Float64Array, wn: Float64Array): DrawKernel | null {
  if (typeof WebAssembly === 'undefined') return null;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(drawModuleBytes()));
  const buffer = (exports.memory as WebAssembly.Memory).buffer;
  new Float64Array(buffer, KN, 128).set(kn);
  new Float64Array(buffer, WN, 128).set(wn);
  return {
    state: new Int32Array(buffer, STATE, 4),
    miss: new Int32Array(buffer, MISS, 1),
    scratch: new Float32Array(buffer, SCRATCH, CHUNK),
    normal: exports.normal as DrawKernel['normal'],
    uniform: exports.uniform as DrawKernel['uniform'],
  };
}
