// Builds dist/ once before the suite: the e2e tests run the CLI as users do, `node bin/densec.js`.
// tsc emits even when a file does not type-check; `npm test` type-checks before vitest runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root });
  if (!fs.existsSync(path.join(root, 'dist/src/cli/main.js'))) throw new Error('tsc did not build dist/src/cli/main.js');
}
