// The elaborated model: what semantic checking produces from the AST once a model's family call
// is evaluated. Every number is resolved and validated; `dense` statements are expanded into
// blocks and transitions. Lowering (ir/lower.ts) turns this into the graph IR.
import type { Span } from '../diagnostics/span.js';
import type { Exact } from './exact.js';

export type Pair = readonly [number, number];

export interface ModelSpec {
  readonly name: string;
  /** The `model` declaration. */
  readonly span: Span;
  readonly claim: { readonly relation: 'is' | 'like'; readonly paper: string; readonly span: Span } | undefined;
  readonly input: { readonly channels: number; readonly height: number; readonly width: number; readonly span: Span };
  readonly layers: readonly SpecLayer[];
}

export type SpecLayer =
  | { readonly kind: 'conv'; readonly kernel: Pair; readonly stride: Pair; readonly pad: Pair; readonly out: number; readonly bias: boolean; readonly span: Span }
  | { readonly kind: 'bn' | 'relu' | 'softmax' | 'globalpool'; readonly span: Span }
  | { readonly kind: 'maxpool' | 'avgpool'; readonly kernel: Pair; readonly stride: Pair; readonly pad: Pair; readonly span: Span }
  | { readonly kind: 'dropout'; readonly rate: number; readonly span: Span }
  | { readonly kind: 'linear'; readonly out: number; readonly span: Span }
  | BlockSpec
  | TransitionSpec;

/** A dense block: `layers` composite layers, each adding `growth` channels. */
export interface BlockSpec {
  readonly kind: 'block';
  /** 1-based, in order of appearance. */
  readonly index: number;
  readonly layers: number;
  readonly growth: number;
  /** Channels of the 1x1 bottleneck conv (DenseNet-B), or undefined for none. */
  readonly bottleneck: number | undefined;
  /** Dropout after each conv; 0 for none. An identity at inference. */
  readonly dropout: number;
  readonly span: Span;
}

/** BN-ReLU-1x1 conv to floor(compression * m) channels, then 2x2 average pool, stride 2. */
export interface TransitionSpec {
  readonly kind: 'transition';
  /** 1-based, in order of appearance. */
  readonly index: number;
  readonly compression: number;
  /** The same compression, exact: `0.29` is 29/100 (ir/rules.ts floors theta * m exactly). */
  readonly theta: Exact;
  readonly dropout: number;
  readonly span: Span;
}
