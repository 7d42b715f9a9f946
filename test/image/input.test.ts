import { describe, expect, it } from 'vitest';
import { imageInput } from '../../src/image/input.js';
import { encodePng, syntheticPhoto } from './fixtures.js';

describe('an image file as a model input', () => {
  const png = encodePng(64, 48, syntheticPhoto(64, 48), 2);

  it("is cropped to the model's input size", () => {
    const { input, diagnostics } = imageInput(png, 'p.png', { name: 'cifar', inputShape: [3, 32, 32] });
    expect(diagnostics).toEqual([]);
    expect(input!.shape).toEqual([1, 3, 32, 32]);
    expect(input!.data).toHaveLength(3 * 32 * 32);
  });

  it('needs a model with 3 input channels (D0753)', () => {
    const { input, diagnostics } = imageInput(png, 'p.png', { name: 'gray', inputShape: [1, 28, 28] });
    expect(input).toBeUndefined();
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['D0753 `p.png` gives 3 color channels but model `gray` takes 1']);
  });

  it('passes decoding errors on', () => {
    const { diagnostics } = imageInput(Uint8Array.of(1, 2, 3), 'x.bmp', { name: 'm', inputShape: [3, 224, 224] });
    expect(diagnostics.map((d) => d.code)).toEqual(['D0751']);
  });
});
