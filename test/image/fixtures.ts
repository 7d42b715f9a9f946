// Images made in tests: PNGs of any color type and depth, and a seeded synthetic photo.
import zlib from 'node:zlib';
import pngjs from 'pngjs';
import { Rng } from '../../src/ir/weights.js';

const { PNG } = pngjs;

/** A PNG of the given color type and depth; pixels from RGBA samples in the depth's range. */
export function encodePng(width: number, height: number, rgba: number[], colorType: 0 | 2 | 4 | 6, bitDepth: 8 | 16 = 8): Uint8Array {
  const png = new PNG({ width, height });
  png.data = bitDepth === 16 ? (Buffer.from(Uint16Array.from(rgba).buffer) as Buffer) : Buffer.from(rgba);
  return PNG.sync.write(png, { colorType, bitDepth, inputColorType: 6, inputHasAlpha: true });
}

/**
 * An 8-bit RGBA image with smooth gradients, edges and noise: enough structure that resampling
 * errors show. Opaque.
 */
export function syntheticPhoto(width: number, height: number, seed = 1): number[] {
  const rng = new Rng(seed);
  const rgba: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = (x > width / 3 && y < (2 * height) / 3) ? 60 : 0;
      const r = (255 * x) / width * 0.7 + edge + rng.range(0, 30);
      const g = (255 * y) / height * 0.6 + ((x >> 3) % 2) * 40 + rng.range(0, 30);
      const b = 128 + 100 * Math.sin(x / 7) * Math.cos(y / 11) + rng.range(-15, 15);
      rgba.push(...[r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v)))), 255);
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/**
 * A grayscale PNG (color type 0) of 1, 2 or 4 bits per sample, written by hand (pngjs writes only
 * 8 and 16 bits): `samples` row by row in 0..2^depth-1, rows packed MSB first, filter 0.
 * `declared` overrides the header's size (a header that promises more pixels than it holds).
 */
export function encodeLowDepthGray(width: number, height: number, samples: readonly number[], depth: 1 | 2 | 4, declared?: { width: number; height: number }): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      raw[y * (rowBytes + 1) + 1 + (bit >> 3)] |= samples[y * width + x] << (8 - depth - (bit & 7));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(declared?.width ?? width, 0);
  ihdr.writeUInt32BE(declared?.height ?? height, 4);
  ihdr[8] = depth;
  const magic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([magic, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
