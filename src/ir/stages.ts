// Where each layer of a spec goes: its Table 1 stage, and the torchvision scope of loose layers
// (those outside dense blocks and transitions).
//
// Stages, in order:
//   convolution    the stem up to its first pooling layer
//   pooling        from the stem's first pooling layer to the first dense block
//   dense_block_i  block i; loose layers after it (before the next transition or block) join it
//   transition_i   transition i; likewise for loose layers after it
//   classification everything after the last block or transition; in a model without any, from
//                  the first `avgpool global`, `linear` or `softmax` on
import type { SpecLayer } from '../check/spec.js';
import { cover } from '../diagnostics/span.js';
import type { Stage } from './graph.js';

const stageName = /^(convolution|pooling|dense_block_[1-9]\d*|transition_[1-9]\d*|classification)$/;

export function isStageName(name: string): boolean {
  return stageName.test(name);
}

/** The Table 1 label of a stage: `Dense Block (1)`, `Transition Layer (2)`, `Classification Layer`. */
export function stageLabel(name: string): string {
  if (name === 'convolution') return 'Convolution';
  if (name === 'pooling') return 'Pooling';
  if (name === 'classification') return 'Classification Layer';
  const block = /^dense_block_(\d+)$/.exec(name);
  if (block) return `Dense Block (${block[1]})`;
  const transition = /^transition_(\d+)$/.exec(name);
  if (transition) return `Transition Layer (${transition[1]})`;
  return name;
}

const isDense = (l: SpecLayer): boolean => l.kind === 'block' || l.kind === 'transition';
const isHead = (l: SpecLayer): boolean => l.kind === 'globalpool' || l.kind === 'linear' || l.kind === 'softmax';
const isPool = (l: SpecLayer): boolean => l.kind === 'maxpool' || l.kind === 'avgpool';

/** The stage of each layer (same index), and the stages in order with spans covering their statements. */
export function planStages(layers: readonly SpecLayer[]): { stageOf: string[]; stages: Stage[] } {
  const firstDense = layers.findIndex(isDense);
  const lastDense = layers.length - 1 - [...layers].reverse().findIndex(isDense);
  const firstHead = layers.findIndex(isHead);
  const stageOf: string[] = [];
  let current = 'convolution';
  layers.forEach((layer, i) => {
    if (layer.kind === 'block') current = `dense_block_${layer.index}`;
    else if (layer.kind === 'transition') current = `transition_${layer.index}`;
    else if (firstDense >= 0 ? i > lastDense : firstHead >= 0 && i >= firstHead) current = 'classification';
    else if (firstDense < 0 || i < firstDense) current = current === 'pooling' || isPool(layer) ? 'pooling' : 'convolution';
    stageOf.push(current);
  });

  const stages: Stage[] = [];
  layers.forEach((layer, i) => {
    const last = stages[stages.length - 1];
    if (last && last.name === stageOf[i]) {
      if (last.span.file === layer.span.file) stages[stages.length - 1] = { ...last, span: cover(last.span, layer.span) };
    } else {
      stages.push({ name: stageOf[i], label: stageLabel(stageOf[i]), span: layer.span });
    }
  });
  return { stageOf, stages };
}

/** The torchvision-like module name of a loose layer's op, before it is made unique. */
export function looseScope(
  kind: 'conv' | 'bn' | 'relu' | 'pool' | 'dropout' | 'linear' | 'softmax' | 'flatten',
  stage: string,
): string {
  const base = { conv: 'conv', bn: 'norm', relu: 'relu', pool: 'pool', dropout: 'dropout', linear: 'classifier', softmax: 'softmax', flatten: 'flatten' }[kind];
  if (stage === 'convolution' || stage === 'pooling') return `features.${base}0`;
  if (stage === 'classification') {
    // torchvision: features.norm5, then F.relu, adaptive pooling, flatten and `classifier`.
    return kind === 'conv' || kind === 'bn' || kind === 'relu' || kind === 'pool' ? `features.${base}5` : base;
  }
  const block = /^dense_block_(\d+)$/.exec(stage);
  if (block) return `features.denseblock${block[1]}.${base}`;
  const transition = /^transition_(\d+)$/.exec(stage);
  if (transition) return `features.transition${transition[1]}.${base}`;
  return `features.${base}`;
}

/** Hands out scopes, suffixing `_2`, `_3`, ... to repeats so that initializer names stay unique. */
export class ScopeNames {
  private readonly taken = new Set<string>();

  take(scope: string): string {
    let name = scope;
    for (let i = 2; this.taken.has(name); i++) name = `${scope}_${i}`;
    this.taken.add(name);
    return name;
  }
}
