// `densec export --to pytorch` checked by torch itself (Debian's python3-torch, one Python process
// for the whole file: export_check.py). For every case of cases.ts the generated module has
// `inspect`'s parameter and BN-statistic counts and the -O0 ONNX initializers' names and shapes
// as its state dict; with the same random weights and BN statistics (drawn by torch, saved by the
// generated save_safetensors, imported by densec as `compile --weights` does) its eval output is
// onnxruntime's at -O0 and -O2. torchvision's densenet121/169/201/161 load strictly and give
// torchvision's outputs; DenseNet-BC (L=40) trains for a few SGD steps and its trained weights,
// compiled by the CLI with --weights, give the trained module's outputs in onnxruntime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitOnnx } from '../../src/emit/onnx.js';
import { readModel } from '../../src/emit/decode.js';
import { functionNames, toPytorch } from '../../src/export/pytorch.js';
import { graphCounts } from '../../src/ir/counts.js';
import type { Graph } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { optimize } from '../../src/passes/pipeline.js';
import { createSession, runFloat } from '../../src/runtime/session.js';
import { version } from '../../src/version.js';
import { importWeights } from '../../src/weights/import.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import type { NamedTensor } from '../../src/weights/tensor.js';
import { densec } from '../e2e/cli.js';
import { runScript, scratch, torchMissing } from '../parity/python.js';
import { exportCases, modelsOf, type ExportCase } from './cases.js';

const torchvisionArchs = ['densenet121', 'densenet169', 'densenet201', 'densenet161'];
const trainSpec = 'test/export/specs/densenet-bc-40.dense';
const trainSteps = 6;

interface ModelReport {
  readonly learnable: number;
  readonly buffers: number;
  readonly state: [string, number[]][];
  readonly dropout?: { train_differs: boolean; eval_equal: boolean };
  readonly softmax_head: number | null;
  readonly seconds: number;
}

/** max |a - b| / max |b|: the relative error of the whole output. */
function relative(a: Float32Array, b: Float32Array): { abs: number; rel: number } {
  let abs = 0;
  let ref = 0;
  for (let i = 0; i < b.length; i++) {
    abs = Math.max(abs, Math.abs(a[i] - b[i]));
    ref = Math.max(ref, Math.abs(b[i]));
  }
  return { abs, rel: abs / ref };
}

function readTensors(path: string): Map<string, NamedTensor> {
  const { file, diagnostics } = readSafetensors(readFileSync(path), path);
  expect(diagnostics).toEqual([]);
  return file!.tensors;
}

async function runOnnx(model: Uint8Array, input: NamedTensor): Promise<Float32Array> {
  const opened = await createSession(model, { threads: 1 });
  if (!opened.ok) throw new Error(opened.failure.detail);
  const outputs = await runFloat(opened.session, opened.session.inputNames[0], input.data!, input.shape);
  await opened.session.release();
  return [...outputs.values()][0].data;
}

describe.skipIf(torchMissing)(`export to PyTorch, checked by torch ${torchMissing ? `(skipped: ${torchMissing})` : ''}`, () => {
  const tmp = scratch();
  afterAll(tmp.remove);
  const cases = exportCases().map((c) => ({ ...c, graph: lower(c.spec).graph! }));
  const pyFile = (label: string): string => join(tmp.dir, `${label.replace(/[^A-Za-z0-9_-]/g, '_')}.py`);
  let reports: Record<string, Record<string, unknown>>;
  let exportSeconds = 0;

  beforeAll(() => {
    const jobs: Record<string, unknown>[] = [];
    const started = performance.now();
    cases.forEach((c, i) => {
      const models = [{ spec: c.spec, graph: c.graph }];
      writeFileSync(pyFile(c.label), toPytorch(models, { file: `${c.label}.dense`, sha256: '0'.repeat(64), version }));
      jobs.push({ kind: 'model', key: c.label, file: pyFile(c.label), function: functionNames(models)[0], seed: i + 1 });
    });
    exportSeconds = (performance.now() - started) / 1000;
    torchvisionArchs.forEach((arch, i) => jobs.push({ kind: 'torchvision', key: `tv-${arch}`, file: pyFile(arch), function: arch, arch, size: 64, seed: 100 + i }));
    const train = cases.find((c) => c.label === 'hand-densenet_bc_40_12')!;
    jobs.push({ kind: 'train', key: 'train', file: pyFile(train.label), function: 'densenet_bc_40_12', steps: trainSteps, seed: 7 });
    writeFileSync(join(tmp.dir, 'jobs.json'), JSON.stringify(jobs));
    const { stdout, seconds } = runScript('../export/export_check.py', [join(tmp.dir, 'jobs.json'), tmp.dir]);
    reports = JSON.parse(stdout);
    console.log(`export of ${cases.length} models: ${exportSeconds.toFixed(2)} s; export_check.py: ${seconds.toFixed(1)} s in all (torch ${reports['_'].torch})`);
    for (const [key, r] of Object.entries(reports)) console.log(`  ${key}: ${r.seconds} s`);
  }, 600_000);

  it('covers every zoo model, the hand-written specs and a sample of generated ones', () => {
    const zoo = cases.filter((c) => !c.label.startsWith('hand-') && !c.label.startsWith('generated-'));
    expect(zoo.length).toBe(12);
    expect(cases.filter((c) => c.label.startsWith('hand-')).length).toBeGreaterThanOrEqual(4);
    expect(cases.filter((c) => c.label.startsWith('generated-')).length).toBeGreaterThanOrEqual(8);
  });

  describe.each(cases)('$label', (c: ExportCase & { graph: Graph }) => {
    const report = (): ModelReport => reports[c.label] as unknown as ModelReport;
    // torch's weights (written by the generated save_safetensors) imported as `compile --weights`
    // does, emitted at -O0 and -O2 (logits): once per case, for the two tests below.
    let models: { o0: Uint8Array; o2: Uint8Array } | undefined;
    const compiled = (): { o0: Uint8Array; o2: Uint8Array } => {
      if (models) return models;
      const weights = readTensors(join(tmp.dir, `${c.label}.weights.safetensors`));
      const g = lower(c.spec).graph!;
      expect(importWeights(g, weights, 'weights.safetensors')).toMatchObject({ ok: true, diagnostics: [] });
      models = { o0: emitOnnx(g, { head: 'logits' }).model, o2: emitOnnx(optimize(g, 2).graph, { head: 'logits' }).model };
      return models;
    };

    it("has inspect's parameter and BatchNorm-statistic counts", () => {
      const { total } = graphCounts(c.graph);
      expect({ learnable: report().learnable, buffers: report().buffers }).toEqual({ learnable: total.learnable, buffers: total.bnRunningStats });
    });

    it("has the -O0 ONNX initializers' names and shapes as its state dict", () => {
      const onnx = readModel(compiled().o0, false).initializers.map((t) => [t.name, [...t.dims]]).sort();
      expect([...report().state].sort()).toEqual(onnx);
    });

    it('runs dropout in train() only, and its softmax head is softmax(logits)', () => {
      const r = report();
      if (r.dropout) expect(r.dropout).toEqual({ train_differs: true, eval_equal: true });
      if (r.softmax_head !== null) expect(r.softmax_head).toBeLessThan(1e-6);
    });

    it("gives onnxruntime's -O0 and -O2 outputs with its weights (rel 1e-4)", async () => {
      const io = readTensors(join(tmp.dir, `${c.label}.io.safetensors`));
      const theirs = io.get('output')!;
      const { o0, o2 } = compiled();
      for (const [level, model] of [[0, o0], [2, o2]] as const) {
        const ours = await runOnnx(model, io.get('input')!);
        const { abs, rel } = relative(ours, theirs.data!);
        console.log(`${c.label} -O${level}: max abs ${abs.toExponential(2)}, rel ${rel.toExponential(2)}`);
        expect(rel).toBeLessThan(1e-4);
      }
      models = undefined; // the zoo's models hold 1.4 GB together
    });
  });

  it.each(torchvisionArchs)("loads torchvision's %s state dict strictly and gives its outputs (rel 1e-5)", (arch) => {
    const r = reports[`tv-${arch}`] as { strict: boolean; max_abs: number; max_ref: number };
    console.log(`torchvision ${arch} at 64x64: max abs ${r.max_abs.toExponential(2)}, rel ${(r.max_abs / r.max_ref).toExponential(2)}`);
    expect(r.strict).toBe(true);
    expect(r.max_abs / r.max_ref).toBeLessThan(1e-5);
  });

  it('trains DenseNet-BC (L=40): the loss falls, checkpointing gives the same gradients', () => {
    const r = reports['train'] as { losses: number[]; grad_diff: number; grad_max: number; train_s: number };
    console.log(`training ${trainSteps} SGD steps in ${r.train_s} s: losses ${r.losses.map((l) => l.toFixed(3)).join(', ')}; memory_efficient gradients differ by ${r.grad_diff.toExponential(2)} (largest ${r.grad_max.toExponential(2)})`);
    expect(r.losses[r.losses.length - 1]).toBeLessThan(r.losses[0]);
    expect(r.grad_diff).toBeLessThanOrEqual(1e-5 * r.grad_max);
  });

  it('compiles the trained weights with `densec compile --weights` to the trained outputs in onnxruntime (rel 1e-4)', async () => {
    expect(modelsOf(trainSpec).map((m) => m.name)).toEqual(['densenet_bc_40_12']);
    const io = readTensors(join(tmp.dir, 'train.io.safetensors'));
    for (const level of ['0', '2']) {
      const onnx = join(tmp.dir, `trained-O${level}.onnx`);
      const r = densec('compile', trainSpec, '--weights', join(tmp.dir, 'train.weights.safetensors'), '--head', 'logits', '-O', level, '-o', onnx);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const ours = await runOnnx(readFileSync(onnx), io.get('input')!);
      const { abs, rel } = relative(ours, io.get('output')!.data!);
      console.log(`trained densenet_bc_40_12 -O${level}: max abs ${abs.toExponential(2)}, rel ${rel.toExponential(2)}`);
      expect(rel).toBeLessThan(1e-4);
    }
  });
});
