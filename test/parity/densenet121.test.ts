// Parity with torchvision: densenet121 with random weights and random BatchNorm statistics, run by
// torch (densenet_reference.py), compiled from specs/densenet121.dense through the public
// `compile()` with its safetensors state dict as `weights` (as `densec compile --weights` does),
// at -O0 and -O2, and run by onnxruntime on the same input. Logits must agree within 1e-4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../src/index.js';
import type { Graph } from '../../src/ir/graph.js';
import { createSession, runFloat } from '../../src/runtime/session.js';
import { importWeights } from '../../src/weights/import.js';
import { readSafetensors, writeSafetensors } from '../../src/weights/safetensors.js';
import type { NamedTensor } from '../../src/weights/tensor.js';
import { loweredSpec } from '../weights/helpers.js';
import { runScript, scratch, torchMissing } from './python.js';

const size = 224; // the input size of specs/densenet121.dense (family default `size = 224`)

/** Reads the two safetensors files densenet_reference.py wrote into `dir`. */
function readReference(dir: string): { weights: Map<string, NamedTensor>; io: Map<string, NamedTensor> } {
  const read = (name: string) => {
    const path = join(dir, name);
    const { file, diagnostics } = readSafetensors(readFileSync(path), path);
    expect(diagnostics).toEqual([]);
    return file!.tensors;
  };
  return { weights: read('weights.safetensors'), io: read('io.safetensors') };
}

/** Compiles `spec` with `weights` at `level` (head logits), runs torch's input: max |ours - torch's|. */
async function logitsDifference(spec: string, weights: Map<string, NamedTensor>, io: Map<string, NamedTensor>, level: 0 | 2): Promise<number> {
  const readFile = (p: string): string | undefined => readFileSync(p, 'utf8');
  const r = compile(readFile(spec)!, { fileName: spec, readFile, optLevel: level, head: 'logits', weights: { tensors: weights, file: 'weights.safetensors' } });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const opened = await createSession(r.model!, { threads: 1 });
  if (!opened.ok) throw new Error(opened.failure.detail);
  const input = io.get('input')!;
  const ours = (await runFloat(opened.session, 'image', input.data!, input.shape)).get('logits')!;
  await opened.session.release();
  const theirs = io.get('logits')!;
  expect(ours.dims).toEqual(theirs.shape);
  let worst = 0;
  for (let i = 0; i < ours.data.length; i++) worst = Math.max(worst, Math.abs(ours.data[i] - theirs.data![i]));
  return worst;
}

describe.skipIf(torchMissing)(`densenet121 against torchvision ${torchMissing ? `(skipped: ${torchMissing})` : ''}`, () => {
  const tmp = scratch();
  afterAll(tmp.remove);
  let weights: Map<string, NamedTensor>;
  let io: Map<string, NamedTensor>;
  const densenet121 = (): Graph => loweredSpec('specs/densenet121.dense');

  beforeAll(() => {
    const { stdout, seconds } = runScript('densenet_reference.py', ['--out', tmp.dir, '--size', String(size), '--seed', '0']);
    console.log(`densenet_reference.py: ${seconds.toFixed(1)} s in all; ${stdout.trim()}`);
    ({ weights, io } = readReference(tmp.dir));
  });

  it("imports torchvision's state dict with no mismatch (606 tensors, num_batches_tracked skipped)", () => {
    expect(weights.size).toBe(727);
    expect(importWeights(densenet121(), weights, 'weights.safetensors')).toEqual({ ok: true, imported: 606, diagnostics: [] });
  });

  it('imports the same weights under legacy names (`norm.1.weight`)', () => {
    const legacy = [...weights].map(([k, v]): [string, NamedTensor] => [k.replace(/(denselayer\d+\.(?:norm|conv))([12])\./, '$1.$2.'), v]);
    expect(legacy.filter(([k]) => /\.norm\.1\.weight$/.test(k))).toHaveLength(58); // one per dense layer
    expect(importWeights(densenet121(), new Map(legacy), 'legacy.safetensors')).toMatchObject({ ok: true, diagnostics: [] });
  });

  it('reports every mismatch of a tampered file at once', () => {
    const floats = [...weights].filter(([, t]) => t.data).map(([k, t]): [string, { shape: readonly number[]; data: Float32Array }] => [k, { shape: t.shape, data: t.data! }]);
    const edited = new Map(floats);
    edited.delete('features.denseblock3.denselayer7.norm2.running_var');
    edited.set('features.transition2.conv.weight', { shape: [256, 512], data: edited.get('features.transition2.conv.weight')!.data });
    edited.set('classifier.weight', { shape: [10, 1024], data: new Float32Array(10 * 1024) });
    const bytes = writeSafetensors(edited);
    const tampered = readSafetensors(bytes, 'tampered.safetensors').file!.tensors;
    const r = importWeights(densenet121(), tampered, 'tampered.safetensors');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'weight `features.transition2.conv.weight` has shape [256, 512], expected [256, 512, 1, 1]',
      'missing weight `features.denseblock3.denselayer7.norm2.running_var` (expected float32 [128])',
      'weight `classifier.weight` has shape [10, 1024], expected [1000, 1024]',
    ]);
  });

  it.each([0, 2] as const)('compile() with `weights` at -O%i runs in onnxruntime with the logits of torch (atol 1e-4)', async (level) => {
    const worst = await logitsDifference('specs/densenet121.dense', weights, io, level);
    console.log(`densenet121 -O${level}: max |logit difference| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });
});

// densenet161 (k = 48, 96 stem channels, blocks [6, 12, 36, 24]): torch takes about 3.7 s to build,
// run and save it on one thread here; the whole block about 8 s.
describe.skipIf(torchMissing)(`densenet161 against torchvision ${torchMissing ? `(skipped: ${torchMissing})` : ''}`, () => {
  const tmp = scratch();
  afterAll(tmp.remove);
  let weights: Map<string, NamedTensor>;
  let io: Map<string, NamedTensor>;

  beforeAll(() => {
    const { stdout, seconds } = runScript('densenet_reference.py', ['--out', tmp.dir, '--arch', 'densenet161', '--size', String(size), '--seed', '1']);
    console.log(`densenet_reference.py --arch densenet161: ${seconds.toFixed(1)} s in all; ${stdout.trim()}`);
    ({ weights, io } = readReference(tmp.dir));
  }, 60_000);

  it.each([0, 2] as const)('compile() with `weights` at -O%i runs in onnxruntime with the logits of torch (atol 1e-4)', async (level) => {
    const worst = await logitsDifference('specs/densenet161.dense', weights, io, level);
    console.log(`densenet161 -O${level}: max |logit difference| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  }, 30_000);
});
