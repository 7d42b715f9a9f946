// D0409: sizes, channel counts, strides and layer counts must be positive integers;
// D0410: padding must be a non-negative integer; D0480: a pool's padding is smaller than its
// kernel (ONNX's pooling ops require it: onnxruntime refuses the model otherwise).
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { secondary } from '../dense.js';
import type { Num } from '../draft.js';
import { show } from '../suggest.js';
import type { ModelRule } from './rule.js';

function positive(what: string, n: Num | undefined): Diagnostic[] {
  if (!n || (Number.isInteger(n.value) && n.value >= 1)) return [];
  return [diagnostic('D0409', n.span, { what, value: show(n.value) }, secondary(n))];
}

function nonNegative(what: string, n: Num): Diagnostic[] {
  if (Number.isInteger(n.value) && n.value >= 0) return [];
  return [diagnostic('D0410', n.span, { what, value: show(n.value) }, secondary(n))];
}

function padInKernel(pad: Num, kernel: Num | undefined): Diagnostic[] {
  if (!kernel || !Number.isInteger(pad.value) || !Number.isInteger(kernel.value) || pad.value < kernel.value) return [];
  return [diagnostic('D0480', pad.span, { pad: show(pad.value), kernel: show(kernel.value) }, secondary(pad))];
}

export const counts: ModelRule = {
  name: 'counts',
  check(model) {
    const out: Diagnostic[] = [];
    if (model.input) {
      out.push(...positive('the input channel count', model.input.channels));
      out.push(...positive('the input height', model.input.height), ...positive('the input width', model.input.width));
    }
    for (const l of model.layers) {
      switch (l.kind) {
        case 'conv':
        case 'maxpool':
        case 'avgpool':
          if (l.kind === 'conv') out.push(...positive('`out`', l.out));
          out.push(...l.kernel.flatMap((k) => positive('a kernel size', k)));
          out.push(...l.stride.flatMap((s) => positive('`stride`', s)));
          out.push(...l.pad.flatMap((p) => nonNegative('`pad`', p)));
          if (l.kind !== 'conv') out.push(...l.pad.flatMap((p, i) => padInKernel(p, l.kernel[i])));
          break;
        case 'linear':
          out.push(...positive('the `linear` output count', l.out));
          break;
        case 'block':
          out.push(...positive('a block\'s layer count', l.layers), ...positive('`growth`', l.growth), ...positive('`bottleneck`', l.bottleneck));
          break;
        default:
          break;
      }
    }
    return out;
  },
};
