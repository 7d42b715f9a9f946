// Images made in tests: PNGs of any color type and depth, and a seeded synthetic photo.
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
