// The rendered text of every D06 (compile options, emission, outputs and limits), D08 (runtime) and
// D09 (files) diagnostic that has no source span to show.
import { expect, test } from 'vitest';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderText } from '../../src/diagnostics/render.js';
import type { Code } from '../../src/diagnostics/catalog.js';

const cases: [Code, Record<string, string | number>, string][] = [
  ['D0601', { opset: 12, min: 13, max: 21, default: 17 }, 'opset 12 is not supported'],
  ['D0602', { file: 'specs/lib/imagenet.dense' }, '`specs/lib/imagenet.dense` declares no model'],
  ['D0603', { file: 'specs/cifar.dense', count: 6, names: '`a`, `b`', option: '`--model <name>`' }, '`specs/cifar.dense` declares 6 models; choose one'],
  ['D0604', { name: 'x', file: 'f.dense', names: '`a`' }, 'no model named `x` in `f.dense`'],
  ['D0605', { path: 'f.dense' }, 'the output `f.dense` is a file this command reads'],
  ['D0606', { model: 'big', size: '2.10 GiB', file: 'big.onnx.data' }, 'the weights of `big` (2.10 GiB) exceed the 2 GB protobuf limit; they go to the external data file `big.onnx.data`'],
  ['D0607', { option: '`--seed`', expected: 'an integer', value: 'x', see: 'see `densec compile --help`' }, '`--seed` must be an integer, found `x`'],
  ['D0608', { file: 'f.dense', count: 2 }, '`-o` names one file but `f.dense` declares 2 models'],
  ['D0609', { path: 'out/x.onnx', reason: 'EACCES' }, 'cannot write `out/x.onnx`: EACCES'],
  ['D0610', { option: '--weights', file: 'm.onnx' }, '`--weights` does not apply to an ONNX model: `m.onnx` runs as it is'],
  ['D0690', { option: '-O', file: 'm.onnx' }, '`-O` does not apply to an ONNX file: `m.onnx` is drawn as it is, every op'],
  ['D0691', { file: 'm.onnx', reason: 'no such file' }, 'cannot draw `m.onnx`: no such file'],
  ['D0660', { cwd: '/home/me', example: 'node_modules/densec/specs/densenet121.dense' }, '`densec verify` without files verifies `specs/*.dense`, but there is no `specs/` folder in `/home/me`'],
  ['D0860', { file: 'm.onnx', name: 'w', location: '../../etc/passwd' }, "`m.onnx` keeps initializer `w` in `../../etc/passwd`, outside the model's folder"],
  ['D0630', { subject: 'running `m` at batch 8', needed: '9,000', what: 'bytes of activations', limit: '4,096', env: 'DENSEC_MAX_ACTIVATION_BYTES' }, 'running `m` at batch 8 needs 9,000 bytes of activations, more than the limit of 4,096'],
  ['D0631', { path: 'out', kind: 'a directory' }, 'cannot write `out`: it is a directory, not a regular file'],
  ['D0632', { data: 'm.onnx.data', model: 'm.onnx', reason: 'its SHA-256 differs' }, 'the external data `m.onnx.data` does not belong to `m.onnx`: its SHA-256 differs'],
  ['D0730', { file: 'w.onnx', count: 1, names: '`conv.weight` (2)' }, '1 tensor(s) of `w.onnx` hold NaN or infinite values: `conv.weight` (2)'],
  ['D0731', { file: 'w.onnx', count: 1, names: '`conv.weight` (2)' }, '1 tensor(s) of `w.onnx` hold NaN or infinite values: `conv.weight` (2)'],
  ['D0633', { file: 'x.onnx', reason: 'it has no graph' }, '`x.onnx` is not an ONNX model: it has no graph'],
  ['D0634', { model: 'm', opset: 99, max: 26 }, '`m` is stamped with opset 99, which onnxruntime does not support'],
  ['D0709', { path: 'w.safetensors', reason: 'no such file' }, 'cannot read the weights file `w.safetensors`: no such file'],
  ['D0754', { path: 'cat.jpg', reason: 'no such file' }, 'cannot read the image `cat.jpg`: no such file'],
  ['D0801', {}, 'no WebGPU adapter: this machine has no GPU with a Vulkan driver'],
  ['D0802', {}, "the CUDA execution provider's libraries are not installed"],
  ['D0803', {}, 'the CUDA execution provider could not start: no usable NVIDIA GPU or driver'],
  ['D0804', {}, 'the WebGPU execution provider could not start'],
  ['D0805', { model: 'm', ep: 'cpu' }, 'onnxruntime could not load the model `m` on cpu'],
  ['D0806', { model: 'm', ep: 'cuda' }, 'onnxruntime failed while running the model `m` on cuda'],
  ['D0807', { python: 'python3', reason: 'cannot import cv2 and numpy' }, "OpenCV's DNN module is not available: `python3` cannot import cv2 and numpy"],
  ['D0808', { model: 'm' }, 'OpenCV could not load or run the model `m`'],
  ['D0809', { model: 'm' }, "onnxruntime's activation peak of `m` could not be measured, so `--objective memory` has nothing to choose by"],
  ['D0930', { path: '/dev/zero', reason: 'it is a character device, not a regular file' }, 'cannot read `/dev/zero`: it is a character device, not a regular file'],
  ['D0931', { limit: 64, depth: 65 }, '`use` chain deeper than 64 files'],
];

test.each(cases)('%s renders its message and a help line', (code, args, message) => {
  const d = diagnostic(code, undefined, args);
  const text = renderText([d], () => undefined);
  const [first, help] = text.trimEnd().split('\n');
  expect(first).toBe(`${d.severity}[${code}]: ${message}`);
  expect(help).toMatch(/^ {2}= help: \S/);
  expect(text).not.toMatch(/\{\w+\}/);
});
