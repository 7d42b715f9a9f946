// Runs the Python reference scripts of this folder with the reference Python (scripts/python.ts:
// $DENSEC_PYTHON, which CI points at Debian's, where torch and torchvision are packages).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { python, pythonLacks } from '../../scripts/python.js';

export { python };
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Why the torch reference cannot run here, or undefined when it can. Asked once, by finding the
 * modules without importing them (importing torch takes seconds).
 */
export const torchMissing: string | undefined = pythonLacks(['torch', 'torchvision'], ['python3-torch', 'python3-torchvision']);

/** Runs `script` (a file of this folder) with `args`; throws with its stderr when it fails. */
export function runScript(script: string, args: readonly string[]): { stdout: string; seconds: number } {
  const start = performance.now();
  const r = spawnSync(python, [join(here, script), ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return { stdout: r.stdout, seconds: (performance.now() - start) / 1000 };
}

/** A fresh temporary directory and a function that removes it. */
export function scratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'densec-parity-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
