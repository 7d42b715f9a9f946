// Runs the Python reference scripts of this folder with Debian's Python (torch and torchvision are
// Debian packages there; `python3` on PATH is another Python without them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const python = '/usr/bin/python3';
const here = fileURLToPath(new URL('.', import.meta.url));

const findModules = "import importlib.util as u, sys; sys.exit(0 if u.find_spec('torch') and u.find_spec('torchvision') else 1)";

/**
 * Why the torch reference cannot run here, or undefined when it can. Asked once, by finding the
 * modules without importing them (importing torch takes seconds).
 */
export const torchMissing: string | undefined = (() => {
  const r = spawnSync(python, ['-c', findModules], { encoding: 'utf8' });
  if (r.error) return `${python} is not available (${r.error.message})`;
  if (r.status !== 0) return `${python} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision)`;
  return undefined;
})();

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
