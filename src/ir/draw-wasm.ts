// The two hot loops of weight drawing (xoshiro128** steps into ziggurat normals, and into
// uniforms) as a 1 KB WebAssembly module, assembled here from opcode names so that no binary is
// committed. The JavaScript loops in weights.ts stay the definition and the fallback (no
// WebAssembly under --jitless): the same integer steps, the same IEEE double arithmetic and
// Math.exp and Math.log themselves (imported), rounded once to float32, so the module writes the
// same bytes (property-tested against them). A compile's 6.9 M normals took 52-90 ms cold in
// JavaScript, which starts in the interpreter and boxes a double per value until it is
// optimized, and take 33-48 ms here, most of it the first touch of the tensors' new memory.

/** Memory layout (bytes): xoshiro state s0..s3, the ziggurat's kn, wn and fn tables, scratch. */
const STATE = 0;
const KN = 64;
const WN = KN + 128 * 8;
const FN = WN + 128 * 8;
const SCRATCH = 4096;
const PAGES = 5;
/** Values drawn per call into the scratch area, then copied to the caller's array. */
export const CHUNK = (PAGES * 65536 - SCRATCH) / 4;
/** The ziggurat's base-layer edge, the same literal as weights.ts's. */
export const zigguratR = 3.442619855899;

const op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10,
  localGet: 0x20, localSet: 0x21,
  i32Load: 0x28, f64Load: 0x2b, i32Store: 0x36, f32Store: 0x38, i32Const: 0x41, f64Const: 0x44,
  i32Eqz: 0x45, i32GtS: 0x4a, i32GeU: 0x4f, f64Lt: 0x63,
  i32Add: 0x6a, i32Mul: 0x6c, i32And: 0x71, i32Xor: 0x73, i32Shl: 0x74, i32Rotl: 0x77,
  f64Abs: 0x99, f64Neg: 0x9a, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3,
  f32DemoteF64: 0xb6, f64ConvertI32S: 0xb7, f64ConvertI32U: 0xb8,
} as const;
const [i32, f64, void_] = [0x7f, 0x7c, 0x40];
/** Function indices: the two imports (Math.exp and Math.log themselves), then the module's own. */
const [EXP, LOG] = [0, 1];

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

// Locals after each function's three parameters: the state, a draw, a temporary of the step, the
// draw's layer, a uniform draw, two doubles, and the loop index.
const [S0, S1, S2, S3, HZ, T, IZ, U32, X, Y, I] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const locals = vec([[8, i32], [2, f64], [1, i32]]);
const loadState = [S0, S1, S2, S3].flatMap((s, k) => [...i32c(0), ...mem(op.i32Load, 2, STATE + 4 * k), ...set(s)]);
const storeState = [S0, S1, S2, S3].flatMap((s, k) => [...i32c(0), ...get(s), ...mem(op.i32Store, 2, STATE + 4 * k)]);
/** One xoshiro128** step (weights.ts's `step`): `out` = the output as a signed int32, the state advanced. */
const step = (out: number): number[] => [
  ...get(S1), ...i32c(5), op.i32Mul, ...i32c(7), op.i32Rotl, ...i32c(9), op.i32Mul, ...set(out),
  ...get(S1), ...i32c(9), op.i32Shl, ...set(T),
  ...get(S2), ...get(S0), op.i32Xor, ...set(S2),
  ...get(S3), ...get(S1), op.i32Xor, ...set(S3),
  ...get(S1), ...get(S2), op.i32Xor, ...set(S1),
  ...get(S0), ...get(S3), op.i32Xor, ...set(S0),
  ...get(S2), ...get(T), op.i32Xor, ...set(S2),
  ...get(S3), ...i32c(11), op.i32Rotl, ...set(S3),
];
/** Rng.uniform(): (u32 + 0.5) / 2^32 on the stack. */
const uniform01 = [...step(U32), ...get(U32), op.f64ConvertI32U, ...f64c(0.5), op.f64Add, ...f64c(4294967296), op.f64Div];
/** HZ's layer into IZ. */
const layer = [...get(HZ), ...i32c(127), op.i32And, ...set(IZ)];
/** table[IZ + delta] on the stack. */
const entry = (table: number, delta = 0): number[] => [...get(IZ), ...i32c(3), op.i32Shl, ...mem(op.f64Load, 3, table + 8 * delta)];
/** |HZ| < kn[IZ]: the draw is inside its layer's rectangle. */
const inside = [...get(HZ), op.f64ConvertI32S, op.f64Abs, ...entry(KN), op.f64Lt];
/** HZ * wn[IZ] on the stack. */
const scaled = [...get(HZ), op.f64ConvertI32S, ...entry(WN), op.f64Mul];
/**
 * A function body: for I from 0 to the first parameter, the double that `value` leaves on the
 * stack is stored as float32 at scratch[I]; the state is loaded before and stored after.
 */
const fillLoop = (value: number[]): number[] => [
  ...locals,
  ...loadState,
  ...i32c(0), ...set(I),
  op.block, void_,
  op.loop, void_,
  ...get(I), ...get(0), op.i32GeU, op.brIf, 1,
  ...get(I), ...i32c(2), op.i32Shl, ...value, op.f32DemoteF64, ...mem(op.f32Store, 2, SCRATCH),
  ...get(I), ...i32c(1), op.i32Add, ...set(I),
  op.br, 0,
  op.end,
  op.end,
  ...storeState,
  op.end,
];

/**
 * normal(end, std): scratch[0..end) = std times ziggurat normals, exactly Rng.fillNormalLoop with
 * its outsideLayer and tail (the wedge's Math.exp and the tail's Math.log are the imports).
 */
const normal = (() => {
  const STD = 1;
  const outsideLayer = [
    op.block, f64, // the value, left on the stack by `br` to here
    op.loop, void_,
    ...get(IZ), op.i32Eqz,
    op.if, void_, // the tail, beyond the base layer
    op.loop, void_,
    ...uniform01, op.call, LOG, op.f64Neg, ...f64c(zigguratR), op.f64Div, ...set(X),
    ...uniform01, op.call, LOG, op.f64Neg, ...set(Y),
    ...get(Y), ...get(Y), op.f64Add, ...get(X), ...get(X), op.f64Mul, op.f64Lt, op.brIf, 0,
    op.end,
    ...get(HZ), ...i32c(0), op.i32GtS,
    op.if, f64, ...f64c(zigguratR), ...get(X), op.f64Add, op.else, ...f64c(-zigguratR), ...get(X), op.f64Sub, op.end,
    op.br, 2,
    op.end,
    // The wedge: fn[iz] + u * (fn[iz - 1] - fn[iz]) < exp(-x * x / 2) keeps x.
    ...scaled, ...set(X),
    ...entry(FN), ...uniform01, ...entry(FN, -1), ...entry(FN), op.f64Sub, op.f64Mul, op.f64Add,
    ...f64c(-0.5), ...get(X), op.f64Mul, ...get(X), op.f64Mul, op.call, EXP, op.f64Lt,
    op.if, void_, ...get(X), op.br, 2, op.end,
    // A redraw, which may land inside its layer.
    ...step(HZ), ...layer,
    ...inside, op.if, void_, ...scaled, op.br, 2, op.end,
    op.br, 0,
    op.end,
    op.unreachable,
    op.end,
  ];
  // std * (the draw inside its layer, or outsideLayer's value), as Rng.fillNormalLoop rounds it.
  return fillLoop([...get(STD), ...step(HZ), ...layer, ...inside, op.if, f64, ...scaled, op.else, ...outsideLayer, op.end, op.f64Mul]);
})();

/** uniform(end, lo, width): scratch[0..end) = lo + width * Rng.uniform(), exactly Rng.fillRangeLoop. */
const uniform = (() => {
  const [LO, WIDTH] = [1, 2];
  return fillLoop([...get(LO), ...get(WIDTH), ...uniform01, op.f64Mul, op.f64Add]);
})();

/** The module's bytes. */
export function drawModuleBytes(): Uint8Array<ArrayBuffer> {
  const unary = [0x60, ...vec([[f64]]), ...vec([[f64]])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // Types: unary (f64) -> f64 for the imports, and (i32, f64, f64) -> () for both draws
    // (`normal` ignores its third parameter so that the two share a type and their locals).
    ...section(1, vec([unary, [0x60, ...vec([[i32], [f64], [f64]]), ...vec([])]])),
    ...section(2, vec([[...name('m'), ...name('exp'), 0x00, 0], [...name('m'), ...name('log'), 0x00, 0]])),
    ...section(3, vec([[1], [1]])),
    ...section(5, vec([[0x00, ...leb(PAGES)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('normal'), 0x00, 2], [...name('uniform'), 0x00, 3]])),
    ...section(10, vec([normal, uniform].map((body) => [...leb(body.length), ...body]))),
  ]);
}

export interface DrawKernel {
  /** The xoshiro state s0..s3 the loops start from and leave behind. */
  readonly state: Int32Array;
  /** The values drawn by the last call. */
  readonly scratch: Float32Array;
  normal(end: number, std: number): void;
  uniform(end: number, lo: number, width: number): void;
}

/** The ziggurat's tables: kn thresholds, wn widths, fn densities (128 layers each). */
export interface ZigguratTables {
  readonly kn: Float64Array;
  readonly wn: Float64Array;
  readonly fn: Float64Array;
}

/** An instance of the module with the ziggurat's tables in place, or null without WebAssembly. */
export function drawKernel(tables: ZigguratTables): DrawKernel | null {
  if (typeof WebAssembly === 'undefined') return null;
  // Math.exp and Math.log themselves, so the wedge and the tail round exactly as in JavaScript.
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(drawModuleBytes()), { m: { exp: Math.exp, log: Math.log } });
  const buffer = (exports.memory as WebAssembly.Memory).buffer;
  new Float64Array(buffer, KN, 128).set(tables.kn);
  new Float64Array(buffer, WN, 128).set(tables.wn);
  new Float64Array(buffer, FN, 128).set(tables.fn);
  return {
    state: new Int32Array(buffer, STATE, 4),
    scratch: new Float32Array(buffer, SCRATCH, CHUNK),
    normal: exports.normal as DrawKernel['normal'],
    uniform: exports.uniform as DrawKernel['uniform'],
  };
}
