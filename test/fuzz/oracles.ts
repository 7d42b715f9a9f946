// The Python-backed checks of generated specs, batched: one torch process for all specs
// (torch_harness.py), one onnx process for all files (test/python/check_models.py).
//   - the onnx checker accepts each -O0 and -O2 file, and its shape inference equals densec's value_info
//   - parameter counts, BN statistics and output shape equal those of the torch module built
//     from the generator's structure, and with that module's weights imported, densec's -O0 and
//     -O2 outputs equal torch's (relative to the largest output, 1e-4)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { emitPrepared } from '../../src/emit/build.js';
import { graphCounts } from '../../src/ir/counts.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import { readWeights } from '../../src/weights/read.js';
import { build } from './check.js';
import type { Sample } from './generate.js';

import { python, pythonLacks } from '../../scripts/python.js';

export { python };
// The Python scripts stay in test/ when `npm run fuzz` runs this file compiled under dist/.
const here = fileURLToPath(new URL('.', import.meta.url)).replace(/[\\/]dist([\\/]test[\\/]fuzz)/, '$1');
const checkModels = path.join(here, '..', 'python', 'check_models.py');

/** Why the Python oracles cannot run here, or undefined when they can (found without importing). */
export const pythonMissing: string | undefined = pythonLacks(['torch', 'onnx'], ['python3-torch', 'python3-onnx']);

interface TorchResult {
  dir: string;
  learnable?: number;
  runningStats?: number;
  output?: number[];
  error?: string;
}

function pythonJson(args: string[]): unknown[] {
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args[0]} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function run(model: Uint8Array, x: Float32Array, dims: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [...dims]) });
    return out[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return a.length === b.length ? worst / Math.max(scale, 1e-30) : Infinity;
}

/** Failures per sample index (absent: it passed). `dir` is a scratch folder, one sub-folder per sample. */
export async function oracleFailures(samples: readonly Sample[], dir: string): Promise<Map<number, string[]>> {
  const failures = new Map<number, string[]>();
  const fail = (i: number, why: string) => failures.set(i, [...(failures.get(i) ?? []), why]);
  const jobs = samples.map((s, i) => {
    const d = path.join(dir, `spec-${i}`);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'gen.dense'), s.text);
    return { dir: d, structure: s.structure };
  });
  fs.writeFileSync(path.join(dir, 'jobs.json'), JSON.stringify(jobs));
  const torch = new Map((pythonJson([path.join(here, 'torch_harness.py'), path.join(dir, 'jobs.json')]) as TorchResult[]).map((r) => [r.dir, r]));

  const onnxFiles: [number, string][] = [];
  for (const [i, s] of samples.entries()) {
    const t = torch.get(jobs[i].dir);
    if (!t || t.error) {
      fail(i, `torch harness: ${t?.error ?? 'no result'}`);
      continue;
    }
    const bytes = fs.readFileSync(path.join(jobs[i].dir, 'weights.safetensors'));
    const weights = readWeights(bytes, 'weights.safetensors');
    const io = readSafetensors(fs.readFileSync(path.join(jobs[i].dir, 'io.safetensors')), 'io.safetensors').file!.tensors;
    const x = io.get('input')!;
    const want = io.get('output')!.data!;
    for (const level of [0, 2] as const) {
      const b = build(s, level, { weights: { tensors: weights.tensors!, file: 'weights.safetensors' }, head: 'softmax' });
      if ('error' in b) {
        fail(i, `-O${level} with torch's weights: ${b.error}`);
        continue;
      }
      const p = b.prepared!;
      if (level === 0) {
        const c = graphCounts(p.lowered).total;
        if (c.learnable !== t.learnable) fail(i, `learnable parameters: densec ${c.learnable}, torch ${t.learnable}`);
        if (c.bnRunningStats !== t.runningStats) fail(i, `BN running statistics: densec ${c.bnRunningStats}, torch ${t.runningStats}`);
        if (p.graph.output.shape.join('x') !== t.output!.join('x')) fail(i, `output shape: densec ${p.graph.output.shape.join('x')}, torch ${t.output!.join('x')}`);
      }
      const emitted = emitPrepared(p);
      const file = path.join(jobs[i].dir, `gen.O${level}.onnx`);
      fs.writeFileSync(file, emitted.model);
      onnxFiles.push([i, file]);
      const got = await run(emitted.model, x.data!, x.shape);
      const rel = relative(got, want);
      if (!(rel <= 1e-4)) fail(i, `-O${level} with torch's weights differs from torch by ${rel.toExponential(2)} of the largest output`);
    }
  }

  const checked = pythonJson([checkModels, ...onnxFiles.map(([, f]) => f)]) as { path: string; ok: boolean; error?: string; mismatches?: unknown[] }[];
  const byFile = new Map(checked.map((r) => [r.path, r]));
  for (const [i, file] of onnxFiles) {
    const r = byFile.get(file);
    if (!r?.ok) fail(i, `onnx checker on ${path.basename(file)}: ${r?.error ?? JSON.stringify(r?.mismatches ?? 'no result')}`);
  }
  return failures;
}
