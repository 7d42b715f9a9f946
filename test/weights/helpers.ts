// Shared by the weight tests: lowered graphs of the ImageNet family, and state dicts made to fit
// them (as torchvision would save them for the same architecture).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/check/analyze.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Graph } from '../../src/ir/graph.js';
import { elementCount } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { Rng } from '../../src/ir/weights.js';
import { namedParams } from '../../src/weights/names.js';
import type { NamedTensor } from '../../src/weights/tensor.js';
import { imagenet } from '../ir/handmade.js';

/** The -O0 graph of `imagenet(blocks, k, ...)`, as lowering makes it (no weights). */
export function lowered(blocks: readonly number[], k = 32, classes = 1000, size = 224): Graph {
  const { graph, diagnostics } = lower(imagenet(blocks, k, 2 * k, classes, size));
  if (!graph) throw new Error(`lowering failed: ${diagnostics.map((d) => d.message).join('; ')}`);
  return graph;
}

/** A small member of the family: 2 blocks of 2 layers, k = 4, 10 classes. */
export const tiny = (): Graph => lowered([2, 2], 4, 10, 32);

/** A state dict with every parameter of `g`, random values, plus torch's num_batches_tracked. */
export function stateDictFor(g: Graph, seed = 1): Map<string, NamedTensor> {
  const rng = new Rng(seed);
  const out = new Map<string, NamedTensor>();
  for (const { name, tensor } of namedParams(g)) {
    const data = new Float32Array(elementCount(tensor.shape));
    for (let i = 0; i < data.length; i++) data[i] = rng.range(-1, 1);
    out.set(name, { dtype: 'F32', shape: tensor.shape, data });
    if (name.endsWith('.running_var')) {
      out.set(name.replace(/running_var$/, 'num_batches_tracked'), { dtype: 'I64', shape: [], data: undefined });
    }
  }
  return out;
}

/** The -O0 graph of a model of a .dense file of the repository (`specs/densenet121.dense`). */
export function loweredSpec(path: string, model?: string): Graph {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const read = (p: string): string | undefined => {
    try {
      return readFileSync(resolve(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const { models, diagnostics } = analyze(new SourceFile(path, read(path) ?? ''), read);
  const spec = model ? models.find((m) => m.name === model) : models[0];
  if (!spec) throw new Error(`no model in ${path}: ${diagnostics.map((d) => d.message).join('; ')}`);
  const { graph, diagnostics: lowering } = lower(spec);
  if (!graph) throw new Error(`lowering ${path} failed: ${lowering.map((d) => d.message).join('; ')}`);
  return graph;
}
