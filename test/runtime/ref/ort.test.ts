// The reference executor, running the memory plan in one ArrayBuffer, against onnxruntime on the
// same weights: every CIFAR spec and every ImageNet spec (at 64x64; the ImageNet family's `size`
// only changes the input), optimized (-O2), and the DenseNet-121s also as lowered (-O0). CIFAR models above 3 GMAC run
// at 16x16 to keep the suite fast; every block still runs at a distinct resolution.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/check/analyze.js';
import type { ModelSpec } from '../../../src/check/spec.js';
import { SourceFile } from '../../../src/diagnostics/source.js';
import { emitOnnx } from '../../../src/emit/onnx.js';
import { graphCounts } from '../../../src/ir/counts.js';
import { elementCount, type Graph } from '../../../src/ir/graph.js';
import { lower } from '../../../src/ir/lower.js';
import { initWeights, Rng } from '../../../src/ir/weights.js';
import { optimize, type ConcatForm, type OptLevel } from '../../../src/passes/pipeline.js';
import { planMemory } from '../../../src/plan/plan.js';
import { execute } from '../../../src/runtime/ref/execute.js';
import { createSession, runFloat } from '../../../src/runtime/session.js';

const specsDir = path.resolve(__dirname, '../../../specs');
const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

function models(): ModelSpec[] {
  return fs
    .readdirSync(specsDir)
    .filter((f) => f.endsWith('.dense'))
    .flatMap((f) => analyze(new SourceFile(path.join(specsDir, f), read(path.join(specsDir, f))!), read).models);
}

function sized(spec: ModelSpec, size: number): ModelSpec {
  return { ...spec, input: { ...spec.input, height: size, width: size } };
}

function graphOf(spec: ModelSpec, level: OptLevel, concat?: ConcatForm): Graph {
  const { graph } = lower(spec);
  initWeights(graph!, { seed: 1, randomBnStats: true });
  return optimize(graph!, level, concat ? { concat } : {}).graph;
}

async function compare(g: Graph, batch: number): Promise<void> {
  const rng = new Rng(5, 'ort-input');
  const input = Float32Array.from({ length: batch * elementCount(g.input.shape) }, () => rng.normal());
  const ref = execute(g, planMemory(g, { batch }), input, { poison: true });
  const emitted = emitOnnx(g, {});
  const opened = await createSession(emitted.model, { ep: 'cpu' });
  if (!opened.ok) throw new Error(opened.failure.detail);
  const ort = (await runFloat(opened.session, emitted.inputName, input, [batch, ...g.input.shape])).get(emitted.outputName)!;
  await opened.session.release();
  expect(ref.shape).toEqual(ort.dims);
  let worst = 0;
  for (let i = 0; i < ort.data.length; i++) worst = Math.max(worst, Math.abs(ref.output[i] - ort.data[i]) - 1e-4 * Math.abs(ort.data[i]));
  expect(worst).toBeLessThan(1e-6);
}

describe('the reference executor against onnxruntime', () => {
  for (const spec of models()) {
    const imagenet = spec.input.height > 32;
    const big = !imagenet && graphCounts(lower(spec).graph!).total.macs > 3e9;
    const size = imagenet ? 64 : big ? 16 : spec.input.height;
    // -O0 once per family size (its kernels are the same; the ops differ).
    const levels: OptLevel[] = spec.name === 'densenet121' || spec.name === 'blog_densenet121' ? [0, 2] : [2];
    for (const level of levels) {
      it(`${spec.name} at ${size}x${size}, -O${level}`, async () => compare(graphOf(sized(spec, size), level), 1), 120_000);
    }
  }
  it('densenet121 at 64x64, -O2, batch 2 (strided slices of the block buffers)', async () => {
    const spec = models().find((m) => m.name === 'densenet121')!;
    await compare(graphOf(sized(spec, 64), 2), 2);
  }, 120_000);
  it('densenet121 at 64x64, -O2 with concat none (no concat left in a block), batch 2', async () => {
    const spec = models().find((m) => m.name === 'densenet121')!;
    const g = graphOf(sized(spec, 64), 2, 'none');
    expect(g.nodes.filter((n) => n.op.kind === 'concat')).toEqual([]);
    await compare(g, 2);
  }, 120_000);
});
