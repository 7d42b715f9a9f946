// ModelSpecs built by hand, as semantic checking would elaborate them: for unit tests of lowering
// that should not depend on the parser.
import type { BlockSpec, ModelSpec, SpecLayer, TransitionSpec } from '../../src/check/spec.js';
import { span } from '../../src/diagnostics/span.js';
import { exactOfLiteral } from '../../src/check/exact.js';

export const at = (start = 0) => span('handmade.dense', start, start + 1);

export interface DenseOptions {
  readonly blocks: readonly number[];
  readonly growth: number;
  readonly bottleneck?: number;
  readonly compression: number;
  readonly dropout?: number;
}

/** `dense layers [...] growth k bottleneck b compression theta`, expanded. */
export function dense(o: DenseOptions, start = 100): SpecLayer[] {
  const out: SpecLayer[] = [];
  o.blocks.forEach((layers, i) => {
    const block: BlockSpec = { kind: 'block', index: i + 1, layers, growth: o.growth, bottleneck: o.bottleneck, dropout: o.dropout ?? 0, span: at(start) };
    out.push(block);
    if (i < o.blocks.length - 1) {
      const t: TransitionSpec = { kind: 'transition', index: i + 1, compression: o.compression, theta: exactOfLiteral(String(o.compression)), dropout: o.dropout ?? 0, span: at(start) };
      out.push(t);
    }
  });
  return out;
}

export const head = (classes: number): SpecLayer[] => [
  { kind: 'bn', span: at(200) },
  { kind: 'relu', span: at(201) },
  { kind: 'globalpool', span: at(202) },
  { kind: 'linear', out: classes, span: at(203) },
  { kind: 'softmax', span: at(204) },
];

export function model(name: string, input: readonly [number, number, number], layers: SpecLayer[]): ModelSpec {
  return {
    name,
    span: at(0),
    claim: undefined,
    input: { channels: input[0], height: input[1], width: input[2], span: at(1) },
    layers,
  };
}

/** The ImageNet family of specs/lib/imagenet.dense. */
export function imagenet(blocks: readonly number[], k = 32, stem = 2 * k, classes = 1000, size = 224): ModelSpec {
  return model('imagenet', [3, size, size], [
    { kind: 'conv', kernel: [7, 7], stride: [2, 2], pad: [3, 3], out: stem, bias: false, span: at(10) },
    { kind: 'bn', span: at(11) },
    { kind: 'relu', span: at(12) },
    { kind: 'maxpool', kernel: [3, 3], stride: [2, 2], pad: [1, 1], span: at(13) },
    ...dense({ blocks, growth: k, bottleneck: 4 * k, compression: 0.5 }),
    ...head(classes),
  ]);
}
