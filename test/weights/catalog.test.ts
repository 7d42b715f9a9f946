// The rendered text of every D07 code (weight import and image input), each made by the code
// that reports it.
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderText, sourcesOf } from '../../src/diagnostics/render.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { readInitializers } from '../../src/emit/read-initializers.js';
import { decodeImage } from '../../src/image/decode.js';
import { imageInput } from '../../src/image/input.js';
import { importWeights } from '../../src/weights/import.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import { stateDictFor, tiny } from './helpers.js';

const { onnx } = onnxProto;
const spec = new SourceFile('net.dense', 'model net {\n  input 3 x 32 x 32\n  conv 7x7 stride 2 pad 3 out 8\n}\n');

/** A tiny graph whose stem conv points at line 3 of `spec`, and a state dict edited by `edit`. */
function imported(edit: (dict: ReturnType<typeof stateDictFor>) => void): Diagnostic[] {
  const g = tiny();
  const conv0 = g.nodes.find((n) => n.scope === 'features.conv0')!;
  (conv0 as { span: unknown }).span = { file: 'net.dense', start: 34, end: 63 };
  const dict = stateDictFor(g);
  edit(dict);
  return importWeights(g, dict, 'w.safetensors').diagnostics;
}

const render = (ds: Diagnostic[]) => renderText(ds, sourcesOf([spec]));
const w = 'features.conv0.weight';

describe('D07 rendered', () => {
  it('D0701', () => {
    expect(render(readSafetensors(new Uint8Array(4), 'w.safetensors').diagnostics)).toBe(
      'error[D0701]: `w.safetensors` is not a valid safetensors file: it has 4 bytes, fewer than the 8 of the header length\n' +
        '  = help: a safetensors file is an 8-byte header length, a JSON header and raw little-endian data; save one with `safetensors.torch.save_file(model.state_dict(), path)`\n',
    );
  });

  const stem = (label: string) => [' --> net.dense:3:3', '  |', '3 |   conv 7x7 stride 2 pad 3 out 8', `  |   ${'^'.repeat(29)} ${label}`];

  it('D0702', () => {
    expect(render(imported((d) => d.delete(w)))).toBe(
      ['error[D0702]: missing weight `features.conv0.weight` (expected float32 [8, 3, 7, 7])', ...stem('this layer needs `features.conv0.weight`'),
        '  = help: the weights file has no tensor of that name: was it saved from the same architecture?', ''].join('\n'),
    );
  });

  it('D0703', () => {
    expect(render(imported((d) => d.set(w, { ...d.get(w)!, shape: [8, 3, 49] })))).toBe(
      ['error[D0703]: weight `features.conv0.weight` has shape [8, 3, 49], expected [8, 3, 7, 7]', ...stem('this layer makes `features.conv0.weight` [8, 3, 7, 7]'),
        '  = help: the weights were saved from a model with other sizes: compare the growth rate, bottleneck, compression and block sizes', ''].join('\n'),
    );
  });

  it('D0704', () => {
    expect(render(imported((d) => d.set(w, { ...d.get(w)!, dtype: 'F64' })))).toBe(
      ['error[D0704]: weight `features.conv0.weight` has dtype float64, expected float32', ...stem('this layer computes in float32'),
        '  = help: float16 and bfloat16 are widened exactly; convert other types with `model.float()` before saving', ''].join('\n'),
    );
  });

  it('D0705', () => {
    expect(render(imported((d) => d.set('fc.bias', d.get(w)!)))).toBe(
      'warning[D0705]: unused tensor `fc.bias` in `w.safetensors`\n  = help: no layer of the model has this name; it is ignored\n',
    );
  });

  it('D0706', () => {
    const legacy = 'features.denseblock1.denselayer1.norm.1.weight';
    expect(render(imported((d) => d.set(legacy, d.get('features.denseblock1.denselayer1.norm1.weight')!)))).toBe(
      'error[D0706]: weight `features.denseblock1.denselayer1.norm1.weight` appears twice in `w.safetensors`, as `features.denseblock1.denselayer1.norm1.weight` and `features.denseblock1.denselayer1.norm.1.weight`\n' +
        '  = help: legacy torchvision names such as `norm.1.weight` are read as `norm1.weight`: keep one of the two\n',
    );
  });

  it('D0707', () => {
    expect(render(readInitializers(new Uint8Array(0), 'm.onnx').diagnostics)).toBe(
      'error[D0707]: `m.onnx` is not a valid ONNX model: it has no graph\n' +
        '  = help: weights can be read from the initializers of an ONNX model or from a safetensors file\n',
    );
  });

  it('D0708', () => {
    const external = { name: 'w', dataType: 1, dims: [1], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL };
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ graph: { initializer: [external] } })).finish();
    expect(render(readInitializers(bytes, 'm.onnx').diagnostics)).toBe(
      'error[D0708]: initializer `w` in `m.onnx` cannot be read: its data is in an external file\n' +
        '  = help: densec reads initializers stored inside the model (raw_data or typed fields), not external data files\n',
    );
  });

  it('D0751', () => {
    expect(render(decodeImage(Uint8Array.of(66, 77), 'cat.bmp').diagnostics)).toBe(
      'error[D0751]: `cat.bmp` is not a PNG, JPEG or WebP image\n  = help: densec reads PNG, JPEG and WebP files (told by their first bytes, not their names); convert other formats first\n',
    );
  });

  it('D0752', () => {
    const truncatedPng = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0);
    expect(render(decodeImage(truncatedPng, 'cut.png').diagnostics)).toMatch(
      /^error\[D0752\]: cannot decode `cut\.png` as PNG: .+\n {2}= help: the file may be truncated or damaged; open it in an image viewer to check\n$/,
    );
  });

  it('D0753', () => {
    expect(render(imageInput(new Uint8Array(0), 'p.png', { name: 'mnist', inputShape: [1, 28, 28] }).diagnostics)).toBe(
      'error[D0753]: `p.png` gives 3 color channels but model `mnist` takes 1\n  = help: images feed models whose input is `input 3 x H x W`\n',
    );
  });
});
