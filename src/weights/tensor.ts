// A named tensor as read from a weights file (safetensors or ONNX initializers), before it is
// matched against a graph. Pure data: no file system here.

/** Element types, spelled as safetensors spells them (ONNX types are mapped to these names). */
export type DType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Bytes per element of each dtype. */
export const dtypeSize: Readonly<Record<DType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

export function isDType(s: string): s is DType {
  return Object.prototype.hasOwnProperty.call(dtypeSize, s);
}

/** Float types that import accepts: widening them to float32 changes no value. */
export const losslessFloat: ReadonlySet<DType> = new Set<DType>(['F32', 'F16', 'BF16']);

export interface NamedTensor {
  /** The type stored in the file; `data` holds the values as float32 whatever it was. */
  readonly dtype: DType;
  readonly shape: readonly number[];
  /**
   * The values as float32 for float dtypes (F64 rounded to nearest; import refuses it), or
   * undefined for integer and boolean dtypes, which no parameter of a graph has.
   */
  readonly data: Float32Array | undefined;
}

export type TensorMap = ReadonlyMap<string, NamedTensor>;

/** `[64, 3, 7, 7]`: how shapes appear in messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Widens an IEEE 754 binary16 value (as its 16 bits) to a number; exact. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `count` little-endian elements of a float dtype at `bytes[offset..]` into a new
 * Float32Array (never a view of `bytes`). Returns undefined for non-float dtypes.
 */
export function decodeFloats(dtype: DType, bytes: Uint8Array, offset: number, count: number): Float32Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * dtypeSize[dtype]);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      if (littleEndianHost) {
        new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * 4));
      } else {
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      }
      return out;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    default:
      return undefined;
  }
}
