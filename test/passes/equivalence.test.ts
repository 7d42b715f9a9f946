// Numerical equivalence of the whole pipeline: every model of every spec in specs/, lowered,
// given weights with non-trivial BatchNorm statistics (gamma, beta, mean, var drawn at random;
// helpers/weights.ts), emitted at -O0 and at -O2 (each concat form, with and without stage outputs kept,
// both forms of the fused composite) and
// run in onnxruntime on the same random input. The logits and every Table 1 stage output but
// the stem's convolution (whose BN and ReLU -O2 moves out of it) agree within rtol 1e-4,
// atol 1e-5. ImageNet models run at 64x64, CIFAR models at their 32x32, to keep CI fast.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { analyze } from '../../src/check/analyze.js';
import type { ModelSpec } from '../../src/check/spec.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import type { Graph } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { Rng } from '../../src/ir/weights.js';
import { emitOnnx, type EmitOptions } from '../../src/emit/onnx.js';
import { optimize, type OptimizeOptions } from '../../src/passes/pipeline.js';
import { closeness } from './helpers/interpret.js';
import { fillWeights } from './helpers/weights.js';

const specDir = 'specs';
const smallSide = 64;

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function modelsOf(file: string): ModelSpec[] {
  const path = join(specDir, file);
  const analyzed = analyze(new SourceFile(path, readFileSync(path, 'utf8')), readOrUndefined);
  if (hasErrors(analyzed.diagnostics)) throw new Error(`${path} has errors`);
  return [...analyzed.models];
}

/** The model at a reduced input size (ImageNet ones at 64x64); the layers do not depend on it. */
function reduced(spec: ModelSpec): ModelSpec {
  if (spec.input.height <= smallSide) return spec;
  return { ...spec, input: { ...spec.input, height: smallSide, width: smallSide } };
}

async function outputs(g: Graph, emit: EmitOptions, input: Float32Array): Promise<Map<string, Float64Array>> {
  const emitted = emitOnnx(g, { head: 'logits', stageOutputs: true, ...emit });
  const session = await ort.InferenceSession.create(emitted.model, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const result = await session.run({ [emitted.inputName]: new ort.Tensor('float32', input, [1, ...g.input.shape]) });
  const out = new Map<string, Float64Array>();
  out.set('logits', Float64Array.from(result[emitted.outputName].data as Float32Array));
  for (const [stage, name] of emitted.stageOutputs) out.set(stage, Float64Array.from(result[name].data as Float32Array));
  await session.release();
  return out;
}

// Without `keepStageOutputs` split-block-output removes each dense block's output value, so
// that form is compared on the logits and the other stages only.
const forms: [string, OptimizeOptions, EmitOptions][] = [
  ['concat chain, fused as BatchNormalization', { concat: 'chain' }, { fusedForm: 'bn' }],
  ['concat chain keeping stage outputs', { concat: 'chain', keepStageOutputs: true }, { fusedForm: 'bn' }],
  ['concat all, fused as Mul+Add', { concat: 'all' }, { fusedForm: 'affine' }],
  ['concat none (every composite split)', { concat: 'none' }, { fusedForm: 'bn' }],
  ['concat none keeping stage outputs', { concat: 'none', keepStageOutputs: true }, { fusedForm: 'bn' }],
];
const comparable = (opt: OptimizeOptions, name: string): boolean =>
  name !== 'convolution' && (opt.keepStageOutputs === true || opt.concat === 'all' || !name.startsWith('dense_block_'));

// Stems that no zoo spec has, where a rewrite could cross the stem's stage boundaries: here every
// stage, the convolution included, must agree (there is no BN or ReLU for -O2 to move out of it).
const stems = [
  'conv 1x1 out 16\n  avgpool 2x2',
  'conv 1x1 out 16\n  maxpool 2x2',
  'conv 3x3 out 16\n  avgpool 2x2',
  'conv 1x1 stride 2 pad 0 out 16\n  avgpool 3x3 stride 1 pad 1',
];
const stemSpec = (stem: string): string =>
  `model stem {\n  input 3 x 32 x 32\n  ${stem}\n  dense layers [2, 2] growth 4 bottleneck 8 compression 0.5\n  bn\n  relu\n  avgpool global\n  linear 10\n}\n`;

const files = readdirSync(specDir).filter((f) => f.endsWith('.dense')).sort();

describe('-O2 computes what -O0 computes', () => {
  it('finds the specs', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of files) {
    it(`for every model of ${file}`, async () => {
      for (const spec of modelsOf(file).map(reduced)) {
        const lowered = lower(spec).graph!;
        fillWeights(lowered, 11);
        const rng = new Rng(5, spec.name);
        const input = Float32Array.from({ length: lowered.input.shape.reduce((a, b) => a * b, 1) }, () => rng.range(-1, 1));
        const reference = await outputs(lowered, {}, input);
        for (const [form, opt, emit] of forms) {
          const optimized = optimize(lowered, 2, opt).graph;
          const got = await outputs(optimized, emit, input);
          for (const [name, expected] of reference) {
            if (!comparable(opt, name)) continue;
            expect(expected.every(Number.isFinite) && expected.some((v) => v !== 0), `${spec.name}: ${name} is degenerate`).toBe(true);
            const worst = closeness(got.get(name)!, expected);
            expect(worst, `${spec.name} ${form}: ${name}`).toBeLessThanOrEqual(1);
          }
        }
      }
    });
  }

  it.each(stems)('for a stem `%s`, every stage', async (stem) => {
    const analyzed = analyze(new SourceFile('stem.dense', stemSpec(stem)), () => undefined);
    expect(analyzed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const lowered = lower(analyzed.models[0]).graph!;
    fillWeights(lowered, 11);
    const rng = new Rng(5, 'stem');
    const input = Float32Array.from({ length: lowered.input.shape.reduce((a, b) => a * b, 1) }, () => rng.range(-1, 1));
    const reference = await outputs(lowered, {}, input);
    const optimized = optimize(lowered, 2, { concat: 'chain', keepStageOutputs: true }).graph;
    const got = await outputs(optimized, { fusedForm: 'bn' }, input);
    for (const [name, expected] of reference) {
      expect(got.get(name)?.length, `${stem}: ${name}`).toBe(expected.length);
      expect(closeness(got.get(name)!, expected), `${stem}: ${name}`).toBeLessThanOrEqual(1);
    }
  });
});
