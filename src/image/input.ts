// An image file's bytes -> the input tensor of a model: decode, check the channel count, and
// preprocess to the model's input size (preprocess.ts). What `densec run --input photo.jpg` needs.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeImage, type DecodeResult } from './decode.js';
import { decodeImageFile } from './libvips.js';
import { preprocess, type InputTensor, type PreprocessOptions } from './preprocess.js';

export interface ImageInput {
  readonly input: InputTensor | undefined;
  readonly diagnostics: Diagnostic[];
}

/**
 * `inputShape` is the model's per-sample input [C, H, W] (Graph.input.shape); the crop is H x W
 * and the resize keeps ImageNet's 256/224 ratio unless `options` say otherwise.
 */
export function imageInput(
  bytes: Uint8Array,
  file: string,
  model: { readonly name: string; readonly inputShape: readonly number[] },
  options: Omit<PreprocessOptions, 'crop'> = {},
): ImageInput {
  return fromDecoded(() => decodeImage(bytes, file), file, model, options);
}

/** As imageInput, decoding with libvips (libvips.ts) as PIL does; what `densec run --input` uses. */
export async function readImageInput(
  bytes: Uint8Array,
  file: string,
  model: { readonly name: string; readonly inputShape: readonly number[] },
  options: Omit<PreprocessOptions, 'crop'> & { readonly maxPixels?: number } = {},
): Promise<ImageInput> {
  const { maxPixels, ...preprocessOptions } = options;
  const decoded = await decodeImageFile(bytes, file, maxPixels);
  return fromDecoded(() => decoded, file, model, preprocessOptions);
}

function fromDecoded(
  decode: () => DecodeResult,
  file: string,
  model: { readonly name: string; readonly inputShape: readonly number[] },
  options: Omit<PreprocessOptions, 'crop'>,
): ImageInput {
  const [channels, height, width] = model.inputShape;
  if (channels !== 3) {
    return { input: undefined, diagnostics: [diagnostic('D0753', undefined, { file, model: model.name, channels })] };
  }
  const { image, diagnostics } = decode();
  if (!image) return { input: undefined, diagnostics };
  return { input: preprocess(image, { ...options, crop: [height, width] }), diagnostics };
}
