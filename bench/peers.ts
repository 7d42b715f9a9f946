// The peer and the compile-time comparison: torchvision's own export of each model (bench/peer.py
// through Debian's Python, timing torch.onnx.export alone) and `densec compile` timed as a whole
// process (node start, module loading, parse, lower, seeded weights, passes, emit, write).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { python } from './matrix.js';

export interface PeerFile {
  readonly model: string;
  readonly opset: number;
  readonly file: string;
  readonly exportSeconds: number;
}

const here = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const torchvisionModels = new Set(['densenet121', 'densenet161', 'densenet169', 'densenet201']);
/** The opsets a peer is exported at: 17 for onnxruntime, 14 for OpenCV 4.6, which cannot read 17. */
const peerOpsets: readonly number[] = [17, 14];

/** Exports the models torchvision has; `skipped` says why none could be. */
export function exportPeers(dir: string, models: readonly string[], opsets: readonly number[] = peerOpsets): { files: PeerFile[] } | { skipped: string } {
  const wanted = models.filter((m) => torchvisionModels.has(m));
  if (wanted.length === 0) return { skipped: `torchvision has none of ${models.join(', ')}` };
  const probe = spawnSync(python, ['-c', "import importlib.util as u, sys; sys.exit(0 if u.find_spec('torch') and u.find_spec('torchvision') else 1)"]);
  if (probe.error) return { skipped: `${python} is not available (${probe.error.message})` };
  if (probe.status !== 0) return { skipped: `${python} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision)` };
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(python, [here('bench/peer.py'), dir, wanted.join(','), '--opsets', opsets.join(',')], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) return { skipped: `bench/peer.py failed (${r.status}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
  return { files: (JSON.parse(r.stdout) as { files: PeerFile[] }).files };
}

/** Files an earlier run exported into `dir` (--no-peer-export), without their export times. */
export function existingPeers(dir: string, models: readonly string[]): PeerFile[] {
  return models.flatMap((model) => peerOpsets.map((opset) => ({ model, opset, file: join(dir, `${model}.tv${opset}.onnx`), exportSeconds: Number.NaN })).filter((p) => existsSync(p.file)));
}

/** Seconds of one whole `densec compile SPEC` process. */
function processCompileOnce(spec: string, dir: string): number {
  const start = performance.now();
  const p = spawnSync(process.execPath, [here('bin/densec.js'), 'compile', spec, '-o', join(dir, 'model.onnx'), '--quiet'], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`densec compile ${spec} failed (${p.status}): ${p.stderr}`);
  return (performance.now() - start) / 1000;
}

/**
 * `rounds` rounds, each (with `torch`) one torch.onnx.export of torchvision's `model` in a fresh
 * Python process (as a user runs it once: the export call alone is timed, opset 17) and then one
 * whole `densec compile SPEC` process, so that a ratio is taken round by round under the same
 * load. Without torch (not asked for, not installed, or a model torchvision does not have) only
 * densec's runs, and why.
 */
export function compileRounds(spec: string, model: string, dir: string, rounds: number, torch: boolean): { densec: number[]; torch?: number[]; skipped?: string } {
  mkdirSync(dir, { recursive: true });
  const densec: number[] = [];
  const exports: number[] = [];
  let skipped = torch ? undefined : '--no-peer-export';
  for (let r = 0; r < rounds; r++) {
    if (skipped === undefined) {
      const exported = exportPeers(dir, [model], [17]);
      if ('skipped' in exported) skipped = exported.skipped;
      else exports.push(exported.files[0].exportSeconds);
    }
    densec.push(processCompileOnce(spec, dir));
  }
  return skipped === undefined ? { densec, torch: exports } : { densec, skipped };
}
