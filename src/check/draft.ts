// The model as elaborated, before validation: like ModelSpec (spec.ts) but every number keeps
// where it came from (`span`) and where a statement used it (`use`), so that the model rules
// (rules/*) can point at the right text. `finalize` drops the spans.
import type { Span } from '../diagnostics/span.js';
import type { Exact } from './exact.js';
import type { ModelSpec, Pair, SpecLayer } from './spec.js';

export interface Num {
  readonly value: number;
  readonly exact: Exact;
  /** Where the value was written (or computed). */
  readonly span: Span;
  /** The clause or statement that used it. */
  readonly use: Span;
}
export type NumPair = readonly [Num, Num];

export type DraftLayer =
  | { readonly kind: 'conv'; readonly kernel: NumPair; readonly stride: NumPair; readonly pad: NumPair; readonly out: Num; readonly bias: boolean; readonly span: Span }
  | { readonly kind: 'bn' | 'relu' | 'softmax' | 'globalpool'; readonly span: Span }
  | { readonly kind: 'maxpool' | 'avgpool'; readonly kernel: NumPair; readonly stride: NumPair; readonly pad: NumPair; readonly span: Span }
  | { readonly kind: 'dropout'; readonly rate: Num; readonly span: Span }
  | { readonly kind: 'linear'; readonly out: Num; readonly span: Span }
  | { readonly kind: 'block'; readonly index: number; readonly layers: Num; readonly growth: Num; readonly bottleneck: Num | undefined; readonly dropout: Num; readonly span: Span }
  | { readonly kind: 'transition'; readonly index: number; readonly compression: Num; readonly dropout: Num; readonly span: Span };

export interface Draft {
  readonly name: string;
  readonly span: Span;
  readonly claim: ModelSpec['claim'];
  readonly input: { readonly channels: Num; readonly height: Num; readonly width: Num; readonly span: Span } | undefined;
  readonly layers: readonly DraftLayer[];
}

const pair = (p: NumPair): Pair => [p[0].value, p[1].value];

export function finalize(d: Draft): ModelSpec | undefined {
  if (!d.input) return undefined;
  const { channels, height, width, span } = d.input;
  return {
    name: d.name,
    span: d.span,
    claim: d.claim,
    input: { channels: channels.value, height: height.value, width: width.value, span },
    layers: d.layers.map((l): SpecLayer => {
      switch (l.kind) {
        case 'conv':
          return { kind: 'conv', kernel: pair(l.kernel), stride: pair(l.stride), pad: pair(l.pad), out: l.out.value, bias: l.bias, span: l.span };
        case 'maxpool':
        case 'avgpool':
          return { kind: l.kind, kernel: pair(l.kernel), stride: pair(l.stride), pad: pair(l.pad), span: l.span };
        case 'dropout':
          return { kind: 'dropout', rate: l.rate.value, span: l.span };
        case 'linear':
          return { kind: 'linear', out: l.out.value, span: l.span };
        case 'block':
          return { kind: 'block', index: l.index, layers: l.layers.value, growth: l.growth.value, bottleneck: l.bottleneck?.value, dropout: l.dropout.value, span: l.span };
        case 'transition':
          return { kind: 'transition', index: l.index, compression: l.compression.value, theta: l.compression.exact, dropout: l.dropout.value, span: l.span };
        default:
          return { kind: l.kind, span: l.span };
      }
    }),
  };
}
