// Builds dist/ once before the suite, as `npm run build` does (tsc, then the bundled CLI in
// dist/cli/): the e2e tests run the CLI as users do, `node bin/densec.js`. tsc emits even when a
// file does not type-check; `npm test` type-checks before vitest runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root });
  if (!fs.existsSync(path.join(root, 'dist/src/cli/main.js'))) throw new Error('tsc did not build dist/src/cli/main.js');
  const bundled = spawnSync(process.execPath, [path.join(root, 'scripts/bundle.mjs')], { cwd: root, encoding: 'utf8' });
  if (bundled.status !== 0) throw new Error(`scripts/bundle.mjs failed: ${bundled.stderr}`);
}
