// Elaborated models written out by hand, for tests that need the real lowering but not the
// parser: the ImageNet family's shape (stem conv-BN-ReLU-maxpool, bottleneck blocks,
// transitions, head) at a small size, with dropout so that identities appear.
import type { ModelSpec, SpecLayer } from '../../../src/check/spec.js';
import { noSpan } from '../../../src/diagnostics/span.js';

export function tinyDenseNet(o: { blocks?: number[]; k?: number; size?: number; dropout?: number } = {}): ModelSpec {
  const k = o.k ?? 4;
  const blocks = o.blocks ?? [2, 3];
  const dropout = o.dropout ?? 0.2;
  const span = noSpan;
  const layers: SpecLayer[] = [
    { kind: 'conv', kernel: [7, 7], stride: [2, 2], pad: [3, 3], out: 2 * k, bias: false, span },
    { kind: 'bn', span },
    { kind: 'relu', span },
    { kind: 'maxpool', kernel: [3, 3], stride: [2, 2], pad: [1, 1], span },
  ];
  blocks.forEach((n, i) => {
    layers.push({ kind: 'block', index: i + 1, layers: n, growth: k, bottleneck: 4 * k, dropout, span });
    if (i < blocks.length - 1) layers.push({ kind: 'transition', index: i + 1, compression: 0.5, theta: { num: 1n, den: 2n }, dropout, span });
  });
  layers.push({ kind: 'bn', span }, { kind: 'relu', span }, { kind: 'globalpool', span }, { kind: 'linear', out: 5, span }, { kind: 'softmax', span });
  const size = o.size ?? 32;
  return { name: 'tiny', span, claim: undefined, input: { channels: 3, height: size, width: size, span }, layers };
}
