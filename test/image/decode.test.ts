import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { decodeImage, detectFormat } from '../../src/image/decode.js';
import { renderText } from '../../src/diagnostics/render.js';
import pngjs from 'pngjs';
import { encodeLowDepthGray, encodePng } from './fixtures.js';

describe('formats by magic bytes', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'PNG'],
    [[0xff, 0xd8, 0xff, 0xe0], 'JPEG'],
    [[0x47, 0x49, 0x46, 0x38], undefined],
    [[0xff, 0xd8], undefined],
    [[], undefined],
  ])('%j is %s', (bytes, format) => {
    expect(detectFormat(Uint8Array.from(bytes))).toBe(format);
  });
});

describe('PNG', () => {
  // Two RGBA pixels; written without alpha (types 0 and 2), pngjs's encoder would composite a
  // translucent pixel over white, so those fixtures are opaque.
  const opaque = [10, 20, 30, 255, 200, 100, 0, 255];
  const translucent = [10, 20, 30, 0, 200, 100, 0, 128];

  it('RGB and RGBA become RGB; alpha is dropped, not composited', () => {
    for (const [colorType, pixels] of [[2, opaque], [6, translucent]] as const) {
      const { image, diagnostics } = decodeImage(encodePng(2, 1, [...pixels], colorType), 'a.png');
      expect(diagnostics).toEqual([]);
      expect(image).toEqual({ width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 200, 100, 0]), maxValue: 255 });
    }
  });

  it('gray (with or without alpha) is repeated into three channels', () => {
    for (const [colorType, alpha] of [[0, 255], [4, 7]] as const) {
      const { image } = decodeImage(encodePng(2, 1, [50, 50, 50, 255, 90, 90, 90, alpha], colorType), 'g.png');
      expect([...image!.data]).toEqual([50, 50, 50, 90, 90, 90]);
    }
  });

  it.each([1, 2, 4] as const)('%i-bit gray is scaled to 0..255, as PIL and pngjs itself scale it', (depth) => {
    const top = 2 ** depth - 1;
    const samples = Array.from({ length: 10 }, (_, i) => (i * 7) % (top + 1));
    const bytes = encodeLowDepthGray(5, 2, samples, depth);
    const { image, diagnostics } = decodeImage(bytes, 'low.png');
    expect(diagnostics).toEqual([]);
    expect(image!.maxValue).toBe(255);
    expect([...image!.data]).toEqual(samples.flatMap((s) => [s, s, s].map((v) => (v * 255) / top)));
    // pngjs's own rescaling (round(v * 255 / top)) is the oracle for the hand-written file.
    const rescaled = pngjs.PNG.sync.read(Buffer.from(bytes));
    expect([...image!.data]).toEqual([...rescaled.data].filter((_, i) => i % 4 !== 3));
  });

  it('16-bit samples keep their precision', () => {
    const { image } = decodeImage(encodePng(1, 1, [1000, 40000, 65535, 65535], 2, 16), 'deep.png');
    expect(image!.maxValue).toBe(65535);
    expect(image!.data).toEqual(Uint16Array.from([1000, 40000, 65535]));
  });

  it('a truncated file is D0752, naming the format', () => {
    const bytes = encodePng(2, 1, opaque, 2);
    const { image, diagnostics } = decodeImage(bytes.subarray(0, bytes.length - 20), 'cut.png');
    expect(image).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['D0752']);
    expect(diagnostics[0].message).toBe('cannot decode `cut.png` as PNG: the file ends before the image does (truncated?)');
  });
});

describe('JPEG', () => {
  it('decodes to RGB close to what was encoded (lossy)', () => {
    const rgba = Array.from({ length: 16 * 16 }, () => [200, 120, 40, 255]).flat();
    const encoded = jpeg.encode({ width: 16, height: 16, data: Buffer.from(rgba) }, 95).data;
    const { image } = decodeImage(encoded, 'a.jpg');
    expect(image!.width).toBe(16);
    expect(image!.data.length).toBe(16 * 16 * 3);
    const [r, g, b] = image!.data;
    expect(Math.abs(r - 200) + Math.abs(g - 120) + Math.abs(b - 40)).toBeLessThanOrEqual(6);
  });

  it('a damaged file is D0752', () => {
    const { diagnostics } = decodeImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]), 'bad.jpg');
    expect(diagnostics.map((d) => `${d.code} ${d.message.split(':')[0]}`)).toEqual(['D0752 cannot decode `bad.jpg` as JPEG']);
  });
});

it('another format is D0751, rendered with a help line', () => {
  const { image, diagnostics } = decodeImage(new TextEncoder().encode('GIF89a...'), 'cat.gif');
  expect(image).toBeUndefined();
  expect(renderText(diagnostics, () => undefined)).toBe(
    'error[D0751]: `cat.gif` is not a PNG, JPEG or WebP image\n  = help: densec reads PNG, JPEG and WebP files (told by their first bytes, not their names); convert other formats first\n',
  );
});
