// The paper's architecture arithmetic in closed form, independent of lowering and of the IR:
// from a model's structure (its ModelSpec, or a PaperModel) to its parameter counts and the
// shape of each Table 1 stage's output. The verifier compares these with what the emitted ONNX
// file holds and what onnxruntime computes.
//
// A dense layer l (0-based) of a block with input c0, growth k and bottleneck width b sees
// c = c0 + l k channels. Summed over n layers, with S = n c0 + k n (n - 1) / 2:
//   with bottleneck:  learnable 2S + bS + n (2b + 9bk)   running stats 2S + 2nb
//   without:          learnable 2S + 9kS                 running stats 2S
// and the block outputs c0 + n k channels. A transition on m channels keeps floor(theta m):
//   learnable 2m + m floor(theta m), running stats 2m, and halves the side (2x2 average pool).
import type { ModelSpec, SpecLayer } from '../check/spec.js';
import type { PaperModel } from './paper.js';

export interface Figures {
  readonly learnable: number;
  readonly runningStats: number;
  /** Stage name -> [C, H, W] of its output ([F, 1, 1] for a flat classifier output). */
  readonly stages: ReadonlyMap<string, readonly [number, number, number]>;
}

/** floor((n + 2p - k) / s) + 1 */
const side = (n: number, k: number, s: number, p: number): number => Math.floor((n + 2 * p - k) / s) + 1;

function blockCounts(n: number, c0: number, k: number, b: number | undefined): { learnable: number; runningStats: number } {
  const S = n * c0 + (k * n * (n - 1)) / 2;
  if (b === undefined) return { learnable: 2 * S + 9 * k * S, runningStats: 2 * S };
  return { learnable: 2 * S + b * S + n * (2 * b + 9 * b * k), runningStats: 2 * S + 2 * n * b };
}

/** Closed-form figures of a spec's layer list. */
export function specFigures(spec: ModelSpec): Figures {
  let [c, h, w] = [spec.input.channels, spec.input.height, spec.input.width];
  let learnable = 0;
  let runningStats = 0;
  const stages = new Map<string, [number, number, number]>();
  const firstDense = spec.layers.findIndex((l) => l.kind === 'block' || l.kind === 'transition');
  const lastDense = spec.layers.length - 1 - [...spec.layers].reverse().findIndex((l) => l.kind === 'block' || l.kind === 'transition');
  let stage = 'convolution';
  spec.layers.forEach((layer: SpecLayer, i) => {
    switch (layer.kind) {
      case 'conv':
        learnable += layer.out * c * layer.kernel[0] * layer.kernel[1] + (layer.bias ? layer.out : 0);
        [c, h, w] = [layer.out, side(h, layer.kernel[0], layer.stride[0], layer.pad[0]), side(w, layer.kernel[1], layer.stride[1], layer.pad[1])];
        break;
      case 'bn':
        learnable += 2 * c;
        runningStats += 2 * c;
        break;
      case 'maxpool':
      case 'avgpool':
        [h, w] = [side(h, layer.kernel[0], layer.stride[0], layer.pad[0]), side(w, layer.kernel[1], layer.stride[1], layer.pad[1])];
        break;
      case 'globalpool':
        [h, w] = [1, 1];
        break;
      case 'linear':
        learnable += c * h * w * layer.out + layer.out;
        [c, h, w] = [layer.out, 1, 1];
        break;
      case 'block': {
        const counts = blockCounts(layer.layers, c, layer.growth, layer.bottleneck);
        learnable += counts.learnable;
        runningStats += counts.runningStats;
        c += layer.layers * layer.growth;
        break;
      }
      case 'transition': {
        // theta is the decimal the user wrote, as a fraction: floor(num * m / den) in integers.
        const out = Number((layer.theta.num * BigInt(c)) / layer.theta.den);
        learnable += 2 * c + c * out;
        runningStats += 2 * c;
        [c, h, w] = [out, Math.floor(h / 2), Math.floor(w / 2)];
        break;
      }
      case 'relu':
      case 'softmax':
      case 'dropout':
        break;
    }
    // Table 1's rows: the stem up to its pool, the pool, each block and transition, the head.
    if (layer.kind === 'block') stage = `dense_block_${layer.index}`;
    else if (layer.kind === 'transition') stage = `transition_${layer.index}`;
    else if (firstDense >= 0 && i > lastDense) stage = 'classification';
    else if (firstDense < 0 && (layer.kind === 'globalpool' || layer.kind === 'linear' || layer.kind === 'softmax')) stage = 'classification';
    else if ((firstDense < 0 || i < firstDense) && stage !== 'classification' && (stage === 'pooling' || layer.kind === 'maxpool' || layer.kind === 'avgpool')) stage = 'pooling';
    stages.set(stage, [c, h, w]);
  });
  return { learnable, runningStats, stages };
}

/** Closed-form figures of the paper's configuration with `classes` outputs. */
export function paperFigures(m: PaperModel, classes: number): Figures {
  let [c, h] = [m.stem.channels, side(m.input[1], m.stem.kernel, m.stem.stride, Math.floor(m.stem.kernel / 2))];
  let learnable = m.stem.channels * m.input[0] * m.stem.kernel * m.stem.kernel;
  let runningStats = 0;
  const stages = new Map<string, [number, number, number]>();
  if (m.stem.bnRelu) {
    learnable += 2 * c;
    runningStats += 2 * c;
  }
  stages.set('convolution', [c, h, h]);
  if (m.stem.maxpool) {
    h = side(h, 3, 2, 1);
    stages.set('pooling', [c, h, h]);
  }
  m.blocks.forEach((n, i) => {
    const counts = blockCounts(n, c, m.growth, m.bottleneck ? 4 * m.growth : undefined);
    learnable += counts.learnable;
    runningStats += counts.runningStats;
    c += n * m.growth;
    stages.set(`dense_block_${i + 1}`, [c, h, h]);
    if (i < m.blocks.length - 1) {
      const out = Math.floor(m.compression * c);
      learnable += 2 * c + c * out;
      runningStats += 2 * c;
      [c, h] = [out, Math.floor(h / 2)];
      stages.set(`transition_${i + 1}`, [c, h, h]);
    }
  });
  // Classification: BN, ReLU, global average pool, a fully connected layer with bias, softmax.
  learnable += 2 * c + c * classes + classes;
  runningStats += 2 * c;
  stages.set('classification', [classes, 1, 1]);
  return { learnable, runningStats, stages };
}
