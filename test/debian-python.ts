// Debian's Python, where CI's apt-get puts python3-onnx, -opencv, -torch and -torchvision (a
// `python3` earlier on PATH may be another one without them). The Python-backed tests skip,
// saying why, when it lacks what they need.
import { spawnSync } from 'node:child_process';

export const python = '/usr/bin/python3';

/**
 * Why `python` cannot import `modules`, or undefined when it can. Found without importing them
 * (importing torch takes seconds); `packages` are the Debian packages that bring them.
 */
export function pythonLacks(modules: readonly string[], packages: readonly string[]): string | undefined {
  const find = `import importlib.util as u, sys; sys.exit(0 if all(u.find_spec(m) for m in ${JSON.stringify(modules)}) else 1)`;
  const r = spawnSync(python, ['-c', find], { encoding: 'utf8' });
  if (r.error) return `${python} is not available (${r.error.message})`;
  if (r.status !== 0) return `${python} cannot import ${modules.join(', ')} (apt-get install ${packages.join(' ')})`;
  return undefined;
}
