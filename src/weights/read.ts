// A weights file's bytes -> named tensors, whichever of the two formats it is. A safetensors file
// has a JSON object right after its 8-byte header length; anything else is read as ONNX
// (protobuf has no magic bytes). A `.safetensors` name is taken at its word, so that a damaged
// one is reported as a damaged safetensors file rather than as a bad ONNX model.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readInitializers } from '../emit/read-initializers.js';
import { readSafetensors } from './safetensors.js';
import type { NamedTensor } from './tensor.js';

export type WeightsFormat = 'safetensors' | 'onnx';

export interface WeightsRead {
  readonly format: WeightsFormat;
  /** Undefined when the file cannot be read at all. */
  readonly tensors: Map<string, NamedTensor> | undefined;
  readonly diagnostics: Diagnostic[];
}

export function weightsFormat(bytes: Uint8Array, file: string): WeightsFormat {
  if (/\.safetensors$/i.test(file)) return 'safetensors';
  if (/\.onnx$/i.test(file)) return 'onnx';
  return bytes.length > 8 && bytes[8] === 0x7b /* { */ ? 'safetensors' : 'onnx';
}

export function readWeights(bytes: Uint8Array, file: string): WeightsRead {
  const format = weightsFormat(bytes, file);
  if (format === 'safetensors') {
    const { file: read, diagnostics } = readSafetensors(bytes, file);
    return { format, tensors: read?.tensors, diagnostics };
  }
  return { format, ...readInitializers(bytes, file) };
}
