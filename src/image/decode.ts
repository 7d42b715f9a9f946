// Image decoding from bytes: PNG (pngjs) and JPEG (jpeg-js), both pure JavaScript. The format is
// told by magic bytes, not by the file name. Every image becomes RGB, as PIL's
// `Image.open(f).convert('RGB')` makes it for torchvision: gray is repeated into three channels,
// alpha is dropped (not composited), a palette is expanded, 1- to 4-bit gray is scaled to 8 bits.
// 16-bit PNG samples are kept at 16 bits.
// EXIF orientation is not applied (PIL does not apply it on open either).
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

const { PNG } = pngjs;

export type ImageFormat = 'PNG' | 'JPEG';

/** RGB samples, interleaved row by row (HWC), each in [0, maxValue]. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint16Array;
  /** 255 for 8-bit images, 65535 for 16-bit PNGs. */
  readonly maxValue: number;
}

export interface DecodeResult {
  readonly image: RgbImage | undefined;
  readonly diagnostics: Diagnostic[];
}

const pngMagic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const jpegMagic = [0xff, 0xd8, 0xff];

export function detectFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);
  if (bytes.length >= pngMagic.length && starts(pngMagic)) return 'PNG';
  if (bytes.length >= jpegMagic.length && starts(jpegMagic)) return 'JPEG';
  return undefined;
}

/** A PNG's width and height from its header (IHDR), before decoding anything; else undefined. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (detectFormat(bytes) !== 'PNG' || bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Decodes a PNG or JPEG file's bytes; `file` is how messages refer to it. */
export function decodeImage(bytes: Uint8Array, file: string): DecodeResult {
  const format = detectFormat(bytes);
  if (!format) return { image: undefined, diagnostics: [diagnostic('D0751', undefined, { file })] };
  try {
    const image = format === 'PNG' ? decodePng(bytes) : decodeJpeg(bytes);
    if (image.width < 1 || image.height < 1) throw new Error(`it is ${image.width}x${image.height} pixels`);
    return { image, diagnostics: [] };
  } catch (e) {
    const reason = plainReason((e as Error).message || String(e));
    return { image: undefined, diagnostics: [diagnostic('D0752', undefined, { file, format, reason })] };
  }
}

/** pngjs says a truncated file is "read requests waitng on finished stream". */
function plainReason(message: string): string {
  return /finished stream|unexpected end|end of (file|data)/i.test(message) ? `the file ends before the image does (truncated?)` : message;
}

function decodePng(bytes: Uint8Array): RgbImage {
  // pngjs always returns RGBA: 8-bit in a Buffer, 16-bit in a Uint16Array with `skipRescale`.
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  const rgba = png.data as unknown as Uint8Array | Uint16Array;
  const sixteen = rgba instanceof Uint16Array;
  const pixels = png.width * png.height;
  const rgb = sixteen ? new Uint16Array(pixels * 3) : new Uint8Array(pixels * 3);
  // skipRescale also leaves 1-, 2- and 4-bit gray samples at 0..2^d-1: scale them to 0..255
  // as PIL does (by 255, 85 or 17, exact). A palette is already expanded to 8-bit colours.
  const { depth, colorType } = png as unknown as { depth: number; colorType: number };
  const scale = depth < 8 && colorType !== 3 ? 255 / (2 ** depth - 1) : 1;
  for (let p = 0; p < pixels; p++) {
    rgb[p * 3] = rgba[p * 4] * scale;
    rgb[p * 3 + 1] = rgba[p * 4 + 1] * scale;
    rgb[p * 3 + 2] = rgba[p * 4 + 2] * scale;
  }
  return { width: png.width, height: png.height, data: rgb, maxValue: sixteen ? 65535 : 255 };
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  // jpeg-js converts YCbCr (and Adobe CMYK) to RGB and repeats gray into three channels.
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 200, maxMemoryUsageInMB: 2048 });
  return { width: decoded.width, height: decoded.height, data: decoded.data, maxValue: 255 };
}
