import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { cropOffset, imagenetMean, imagenetStd, preprocess, resizedSize, roundHalfEven } from '../../src/image/preprocess.js';
import { bilinearTaps } from '../../src/image/resize.js';
import { decodeImage, type RgbImage } from '../../src/image/decode.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import type { NamedTensor } from '../../src/weights/tensor.js';
import { encodePng, syntheticPhoto } from './fixtures.js';
import { runScript, scratch, torchMissing } from '../parity/python.js';

const solid = (width: number, height: number, rgb: [number, number, number]): RgbImage => ({
  width,
  height,
  data: Uint8Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3]),
  maxValue: 255,
});

describe('sizes, as torchvision computes them', () => {
  it.each([
    [[500, 375], [341, 256]],
    [[375, 500], [256, 341]],
    [[256, 256], [256, 256]],
    [[100, 30], [853, 256]],
    [[1000, 999], [256, 256]],
  ])('Resize(256) of %j is %j (longer side truncated)', ([w, h], size) => {
    expect(resizedSize(w, h, 256)).toEqual(size);
  });

  it('rounds half to even like Python', () => {
    expect([0.5, 1.5, 2.5, -0.5, 58.5, 3.2, 3.7].map(roundHalfEven)).toEqual([0, 2, 2, -0, 58, 3, 4]);
    expect(cropOffset(341, 224)).toBe(58); // (341 - 224) / 2 = 58.5 -> 58
    expect(cropOffset(343, 224)).toBe(60); // 59.5 -> 60
    expect(cropOffset(256, 224)).toBe(16);
  });
});

describe('antialiased bilinear taps', () => {
  it('are normalised, and an identity at the same size', () => {
    for (const [n, m] of [[7, 3], [500, 256], [10, 10], [3, 8]]) {
      const t = bilinearTaps(n, m);
      for (let i = 0; i < m; i++) {
        let sum = 0;
        for (let k = 0; k < t.count[i]; k++) sum += t.weights[i * t.width + k];
        expect(sum).toBeCloseTo(1, 12);
      }
    }
    const same = bilinearTaps(5, 5);
    for (let i = 0; i < 5; i++) expect([same.start[i], same.weights[i * same.width]]).toEqual([i, 1]);
  });

  it('widen with the scale when downscaling (so every input pixel counts)', () => {
    const t = bilinearTaps(8, 2); // scale 4: support 4 on each side of each centre
    expect([...t.start]).toEqual([0, 2]);
    expect([...t.count]).toEqual([6, 6]);
  });
});

describe('ImageNet preprocessing', () => {
  it('gives [1, 3, 224, 224] float32, normalised with ImageNet mean and std', () => {
    const x = preprocess(solid(500, 375, [255, 128, 0]));
    expect(x.shape).toEqual([1, 3, 224, 224]);
    const plane = 224 * 224;
    [255, 128, 0].forEach((v, c) => {
      const want = (v / 255 - imagenetMean[c]) / imagenetStd[c];
      expect(x.data[c * plane]).toBeCloseTo(want, 5);
      expect(x.data[c * plane + plane - 1]).toBeCloseTo(want, 5);
    });
  });

  it('crops to the model input, resizing in the same 256/224 ratio', () => {
    expect(preprocess(solid(64, 48, [0, 0, 0]), { crop: [32, 32] }).shape).toEqual([1, 3, 32, 32]);
    expect(() => preprocess(solid(64, 48, [0, 0, 0]), { crop: [32, 32], resize: 20 })).toThrow(RangeError);
  });

  it('scales 16-bit images by 65535', () => {
    const deep: RgbImage = { width: 2, height: 2, data: Uint16Array.from({ length: 12 }, () => 65535), maxValue: 65535 };
    expect(preprocess(deep, { crop: [1, 1], resize: 2 }).data[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
  });
});

describe.skipIf(torchMissing)(`against torchvision 0.14 ${torchMissing ? `(skipped: ${torchMissing})` : ''}`, () => {
  const tmp = scratch();
  afterAll(tmp.remove);

  const sizes = [[500, 375], [300, 420], [180, 150]] as const;
  const pngs = sizes.map(([w, h]) => encodePng(w, h, syntheticPhoto(w, h), 2));
  const small = encodePng(64, 48, syntheticPhoto(64, 48, 2), 2);
  const [jw, jh] = [120, 90];
  const jpg = jpeg.encode({ width: jw, height: jh, data: Buffer.from(syntheticPhoto(jw, jh, 3)) }, 90).data;

  // One Python process for every image: importing torch is most of its time.
  const refs = new Map<string, Map<string, NamedTensor>>();
  beforeAll(() => {
    const jobs: Array<[string, Uint8Array, string]> = [
      ...pngs.map((png, i): [string, Uint8Array, string] => [`photo-${i}.png`, png, '']),
      ['small.png', small, ':37:32'],
      ['photo.jpg', jpg, ''],
    ];
    for (const [name, bytes] of jobs) writeFileSync(join(tmp.dir, name), bytes);
    runScript('preprocess_reference.py', jobs.map(([name, , args]) => join(tmp.dir, name) + args));
    for (const [name] of jobs) {
      const out = join(tmp.dir, `${name}.ref.safetensors`);
      refs.set(name, readSafetensors(readFileSync(out), out).file!.tensors);
    }
  });

  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

  /** The same pixels as a 16-bit image (x * 257 / 65535 = x / 255): preprocessed in float64. */
  const as16 = (image: RgbImage): RgbImage => ({ ...image, data: Uint16Array.from(image.data, (x) => x * 257), maxValue: 65535 });

  it("8-bit images: PIL's pipeline to the bit (within 1e-6); 16-bit: resize(antialias=True) on tensors within 2e-5", () => {
    pngs.forEach((png, i) => {
      const ref = refs.get(`photo-${i}.png`)!;
      const image = decodeImage(png, 'photo.png').image!;
      const ours = preprocess(image);
      expect(ours.shape).toEqual(ref.get('pil')!.shape);
      expect(maxDiff(ours.data, ref.get('pil')!.data!)).toBeLessThan(1e-6);
      // PIL rounds to 8 bits after each pass: about 1/255 per pass, over std 0.225.
      expect(maxDiff(ours.data, ref.get('tensor')!.data!)).toBeLessThan(0.02);
      expect(maxDiff(preprocess(as16(image)).data, ref.get('tensor')!.data!)).toBeLessThan(2e-5);
    });
  });

  it('matches for a non-default crop (CIFAR-sized input)', () => {
    const image = decodeImage(small, 'small.png').image!;
    expect(maxDiff(preprocess(image, { crop: [32, 32] }).data, refs.get('small.png')!.get('pil')!.data!)).toBeLessThan(1e-6);
    expect(maxDiff(preprocess(as16(image), { crop: [32, 32] }).data, refs.get('small.png')!.get('tensor')!.data!)).toBeLessThan(2e-5);
  });

  it('decodes JPEG close to libjpeg (PIL): a few levels at most, under one on average', () => {
    const ref = refs.get('photo.jpg')!.get('decoded')!.data!;
    const ours = decodeImage(jpg, 'photo.jpg').image!.data;
    let worst = 0;
    let total = 0;
    for (let i = 0; i < ours.length; i++) {
      const d = Math.abs(ours[i] - ref[i]);
      worst = Math.max(worst, d);
      total += d;
    }
    expect(worst).toBeLessThanOrEqual(8);
    expect(total / ours.length).toBeLessThan(1);
  });
});
