// D05: shape and size errors found while lowering, each at the statement that causes it.
import { describe, expect, test } from 'vitest';
import type { SpecLayer } from '../../src/check/spec.js';
import { lower } from '../../src/ir/lower.js';
import { at, dense, head, imagenet, model } from './handmade.js';

const conv = (out: number, k = 3, stride = 1, pad = Math.floor(k / 2), start = 10): SpecLayer =>
  ({ kind: 'conv', kernel: [k, k], stride: [stride, stride], pad: [pad, pad], out, bias: false, span: at(start) });

function only(spec: Parameters<typeof lower>[0]) {
  const { graph, diagnostics } = lower(spec);
  expect(graph).toBeUndefined();
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0];
}

describe('lowering reports', () => {
  test('D0501 when a transition leaves no pixels', () => {
    const d = only(imagenet([1, 1, 1, 1], 32, 64, 1000, 16));
    expect(d).toMatchObject({ code: 'D0501', severity: 'error', message: 'transition 3 reduces the feature map from 1x1 to 0x0', span: at(100) });
    expect(d.help).toBe('the input is 3x16x16; use a larger input or fewer layers that downsample');
  });

  test('D0501 when a stem layer leaves no pixels', () => {
    const d = only(model('m', [3, 4, 4], [conv(8, 7, 2, 0, 20), ...head(10)]));
    expect(d).toMatchObject({ code: 'D0501', message: '`conv 7x7` in the Convolution stage reduces the feature map from 4x4 to 0x0', span: at(20) });
  });

  test('D0502 for a tensor over 2^31 - 1 elements', () => {
    const d = only(model('m', [3, 8192, 8192], [conv(64, 3, 1, 1, 30), ...head(10)]));
    expect(d).toMatchObject({ code: 'D0502', span: at(30), label: 'output shape [64, 8192, 8192]' });
    expect(d.message).toBe('`conv 3x3` in the Convolution stage makes a tensor of 4,294,967,296 elements, more than the 2,147,483,647 a runtime can index');
  });

  test('D0503 for one initializer over 2^31 - 1 bytes', () => {
    const d = only(model('m', [8192, 1, 1], [{ kind: 'globalpool', span: at(1) }, { kind: 'linear', out: 70_000, span: at(40) }]));
    expect(d).toMatchObject({ code: 'D0503', span: at(40), label: '`classifier.weight` has shape [70000, 8192]' });
    expect(d.message).toContain('needs a parameter tensor of 2,293,760,000 bytes');
  });

  test('weights past 2 GiB in total lower without a diagnostic (they go to external data)', () => {
    // Each 1x1 conv 12,000 -> 12,000 holds 576 MB: five hold 2.88 GB, more than one protobuf.
    const layers = [1, 2, 3, 4, 5].map((i) => conv(12_000, 1, 1, 0, 50 + i));
    const { graph, diagnostics } = lower(model('big', [12_000, 1, 1], layers));
    expect(diagnostics).toEqual([]);
    expect(graph!.nodes.filter((n) => n.op.kind === 'conv')).toHaveLength(5);
  });

  test('D0505 for `linear` on an unpooled feature map', () => {
    const d = only(model('m', [3, 7, 7], [conv(16), { kind: 'linear', out: 10, span: at(60) }]));
    expect(d).toMatchObject({ code: 'D0505', message: '`linear` needs a flat input, found a 16x7x7 feature map', span: at(60), help: 'add `avgpool global` before `linear`' });
  });

  test('D0506 for `softmax` before another layer, and still lowers the rest', () => {
    const { graph, diagnostics } = lower(model('m', [3, 8, 8], [conv(4), { kind: 'softmax', span: at(70) }, { kind: 'relu', span: at(71) }]));
    expect(graph).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.message, d.label, d.span])).toEqual([['D0506', '`softmax` must be the last layer of a model', '`relu` follows it', at(70)]]);
  });

  test('D0507 for a spatial layer after `linear`', () => {
    const d = only(model('m', [3, 8, 8], [...head(10).slice(2, 4), conv(4, 3, 1, 1, 80)]));
    expect(d).toMatchObject({ code: 'D0507', message: '`conv 3x3` in the Classification Layer stage needs a feature map (channels x height x width), found a flat vector of 10', span: at(80) });
  });

  test('D0508 for a transition that keeps no channels', () => {
    const d = only(model('m', [3, 8, 8], [conv(8), ...dense({ blocks: [1, 1], growth: 4, compression: 0.05 }), ...head(10)]));
    expect(d).toMatchObject({ code: 'D0508', message: 'transition 1 keeps no channels: floor(0.05 * 12) is 0', span: at(100) });
  });

  test('D0509 for a block too deep to lower', () => {
    const d = only(model('m', [3, 8, 8], [conv(8), ...dense({ blocks: [3000], growth: 1, compression: 1 }), ...head(10)]));
    expect(d).toMatchObject({ code: 'D0509', span: at(100) });
    expect(d.message).toBe('dense block 1 is too deep to lower: its 3,000 layers concatenate 4,504,500 feature maps, more than 2,000,000');
  });

  test('nothing for the Table 1 models', () => {
    for (const blocks of [[6, 12, 24, 16], [6, 12, 32, 32], [6, 12, 48, 32], [6, 12, 64, 48]]) {
      expect(lower(imagenet(blocks)).diagnostics).toEqual([]);
    }
  });
});
