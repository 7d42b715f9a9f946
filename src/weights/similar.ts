// How much a weights file resembles a model: the tensors that a model's parameter takes by name
// and shape, after the same prefix stripping and legacy renaming that import does. The score is
// the Jaccard index |file ∩ model| / |file ∪ model| over (name, shape) pairs, so a file of one
// model scores 1 against it and less against a deeper or wider relative, which shares a prefix of
// its names but not all of its shapes.
import { canonicalName, isIgnoredKey } from './names.js';
import { commonPrefix } from './import.js';
import type { TensorMap } from './tensor.js';

export interface Resemblance {
  /** Tensors of the file that a parameter of the model takes, by name and shape. */
  readonly matched: number;
  readonly fileTensors: number;
  readonly modelTensors: number;
  readonly score: number;
}

/** `params`: each parameter tensor of the model by its state-dict name, with its shape. */
export function resemblance(tensors: TensorMap, params: ReadonlyMap<string, readonly number[]>): Resemblance {
  const keys = [...tensors.keys()].filter((k) => !isIgnoredKey(k));
  const prefix = commonPrefix(keys, new Set(params.keys()));
  let matched = 0;
  for (const key of keys) {
    const shape = params.get(canonicalName(key.slice(prefix.length)));
    const found = tensors.get(key)!.shape;
    if (shape && shape.length === found.length && shape.every((d, i) => d === found[i])) matched++;
  }
  const union = keys.length + params.size - matched;
  return { matched, fileTensors: keys.length, modelTensors: params.size, score: union === 0 ? 0 : matched / union };
}

/** The candidate that the file resembles most (ties: the first), or undefined when none shares a tensor. */
export function mostSimilar<T extends { readonly params: ReadonlyMap<string, readonly number[]> }>(
  tensors: TensorMap,
  candidates: readonly T[],
): (T & { readonly resemblance: Resemblance }) | undefined {
  let best: (T & { resemblance: Resemblance }) | undefined;
  for (const c of candidates) {
    const r = resemblance(tensors, c.params);
    if (r.matched > 0 && (!best || r.score > best.resemblance.score)) best = { ...c, resemblance: r };
  }
  return best;
}
