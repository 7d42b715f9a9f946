// The Python the tests and the bench run their reference tools with (onnx's checker, OpenCV,
// torch and torchvision): $DENSEC_PYTHON, else `python3` on PATH. CI's `.ci/run` points it at
// Debian's interpreter, where its apt-get puts python3-onnx, -opencv, -torch and -torchvision;
// a user names theirs the same way. What needs a module it lacks is skipped, saying why.
import { spawnSync } from 'node:child_process';

export const python = process.env.DENSEC_PYTHON || 'python3';

/**
 * Why `python` cannot import `modules`, or undefined when it can. Found without importing them
 * (importing torch takes seconds); `packages` are the Debian packages that bring them.
 */
export function pythonLacks(modules: readonly string[], packages: readonly string[]): string | undefined {
  const find = `import importlib.util as u, sys; sys.exit(0 if all(u.find_spec(m) for m in ${JSON.stringify(modules)}) else 1)`;
  const r = spawnSync(python, ['-c', find], { encoding: 'utf8' });
  const fix = `apt-get install ${packages.join(' ')}, or name a Python that has them in DENSEC_PYTHON`;
  if (r.error) return `${python} is not available (${r.error.message}; ${fix})`;
  if (r.status !== 0) return `${python} cannot import ${modules.join(', ')} (${fix})`;
  return undefined;
}
