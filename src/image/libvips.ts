// Image decoding with sharp (libvips, with libjpeg-turbo's decoder, libpng and libwebp): the
// libraries PIL decodes with, so a JPEG becomes the same pixels torchvision sees. The result is
// what PIL's `Image.open(f).convert('RGB')` makes of the file:
// - gray is repeated into three channels; alpha is dropped, not composited; palettes expand;
// - CMYK (Adobe JPEGs) becomes RGB by PIL's formula, R = (255 - C)(255 - K) / 255 in its integer
//   arithmetic (Convert.c `cmyk2rgb`), not through an ICC profile;
// - embedded ICC profiles are ignored and EXIF orientation is not applied, as PIL does on open;
// - 16-bit PNGs keep their 16 bits (maxValue 65535).
// Only PNG, JPEG and WebP are read, told by their magic bytes (never SVG, PDF or anything that can
// name other files). Images over `limit` pixels (by default PIL's limit; the CLI passes its own,
// src/cli/limits.ts) are refused before decoding, as PIL's decompression-bomb check does.
// sharp is loaded on first use; where it cannot load, decode.ts (pure JavaScript) is used.
import type { Sharp, SharpOptions } from 'sharp';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { decodeImage, type DecodeResult, type RgbImage } from './decode.js';
import { pilMaxPixels } from './pixels.js';
import { grouped } from '../diagnostics/grouped.js';

export type SniffedFormat = 'PNG' | 'JPEG' | 'WebP';

export function sniff(bytes: Uint8Array): SniffedFormat | undefined {
  const at = (offset: number, magic: readonly number[]): boolean => bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'PNG';
  if (at(0, [0xff, 0xd8, 0xff])) return 'JPEG';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'WebP'; // RIFF....WEBP
  return undefined;
}

type SharpFactory = (input: Uint8Array, options: SharpOptions) => Sharp;
let factory: Promise<SharpFactory | undefined> | undefined;

/** sharp, or undefined where its native library cannot load on this platform. */
function loadSharp(): Promise<SharpFactory | undefined> {
  factory ??= import('sharp').then(
    (m) => m.default as unknown as SharpFactory,
    () => undefined,
  );
  return factory;
}

/** PIL's MULDIV255: a * b / 255 rounded, in its integer arithmetic. */
const mulDiv255 = (a: number, b: number): number => {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
};

/** Interleaved samples of `channels` per pixel -> RGB as PIL's convert('RGB') makes them. */
export function toRgb(samples: Uint8Array | Uint16Array, pixels: number, channels: number, cmyk: boolean): Uint8Array | Uint16Array {
  const rgb = samples instanceof Uint16Array ? new Uint16Array(pixels * 3) : new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const s = p * channels;
    if (cmyk) {
      const nk = 255 - samples[s + 3];
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.max(0, Math.min(255, nk - mulDiv255(samples[s + c], nk)));
    } else if (channels <= 2) {
      rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = samples[s];
    } else {
      rgb[p * 3] = samples[s];
      rgb[p * 3 + 1] = samples[s + 1];
      rgb[p * 3 + 2] = samples[s + 2];
    }
  }
  return rgb;
}

/** libvips says a truncated file is "Premature end of ..." or "... read error". */
function plainReason(message: string): string {
  const first = message.split('\n')[0].replace(/^Error: /, '').trim();
  return /premature end|unexpected end|truncat|read error|not enough data/i.test(first) ? `the file ends before the image does (truncated?): ${first}` : first;
}

/** Decodes a PNG, JPEG or WebP file's bytes; `file` is how messages refer to it. */
export async function decodeImageFile(bytes: Uint8Array, file: string, limit = pilMaxPixels): Promise<DecodeResult> {
  const format = sniff(bytes);
  if (!format) return { image: undefined, diagnostics: [diagnostic('D0751', undefined, { file })] };
  const sharp = await loadSharp();
  if (!sharp) return decodeImage(bytes, file);
  const failed = (reason: string): DecodeResult => ({ image: undefined, diagnostics: [diagnostic('D0752', undefined, { file, format, reason })] });
  try {
    const open = () => sharp(bytes, { failOn: 'error', limitInputPixels: limit, ignoreIcc: true, autoOrient: false });
    const meta = await open().metadata();
    const { width = 0, height = 0 } = meta;
    if (width < 1 || height < 1) return failed(`it is ${width}x${height} pixels`);
    if (width * height > limit) return failed(`it is ${width}x${height} pixels, more than the ${grouped(limit)} densec (like PIL) decodes`);
    const sixteen = meta.depth === 'ushort';
    const cmyk = meta.space === 'cmyk';
    // Keep the file's own colour space and depth: no conversion to sRGB, no 16 -> 8 bits.
    const space = cmyk ? 'cmyk' : (meta.channels ?? 3) <= 2 ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
    const { data, info } = await open().pipelineColourspace(space).toColourspace(space).raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const samples = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const image: RgbImage = { width: info.width, height: info.height, data: toRgb(samples, info.width * info.height, info.channels, cmyk), maxValue: sixteen ? 65535 : 255 };
    return { image, diagnostics: [] };
  } catch (e) {
    return failed(plainReason((e as Error).message || String(e)));
  }
}
