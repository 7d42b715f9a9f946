// ImageNet class names (index = class id) and the top-k reading of a probability vector.
// The names are data copied from torchvision (see imagenet-classes.json's `source`;
// test/parity/imagenet_classes.py regenerates it).
import classesFile from './imagenet-classes.json' with { type: 'json' };

export const imagenetClasses: readonly string[] = classesFile.classes;

export interface Prediction {
  readonly index: number;
  /** The class name, or `class <index>` past the end of `names`. */
  readonly name: string;
  readonly probability: number;
}

/** softmax(x)_i = exp(x_i - max x) / sum_j exp(x_j - max x): the max shift avoids overflow. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const out = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

/**
 * The `k` most probable classes, most probable first; ties go to the lower index. `names`
 * defaults to the ImageNet classes.
 */
export function topK(probabilities: ArrayLike<number>, k = 5, names: readonly string[] = imagenetClasses): Prediction[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i);
  order.sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  return order.slice(0, k).map((index) => ({
    index,
    name: names[index] ?? `class ${index}`,
    probability: probabilities[index],
  }));
}
