// The README's API example (the ```js block of "## The API"), run against the built package
// (dist/src/index.js, built by test/global-setup.ts) so that it cannot rot.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { root } from './cli.js';

function apiExample(markdown: string): string {
  const section = markdown.split('\n## The API\n')[1]?.split('\n## ')[0] ?? '';
  const block = /```js\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no ```js block under "## The API"');
  return block[1];
}

test("the README's API example runs and prints what it says", () => {
  const code = apiExample(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  const index = path.join(root, 'dist', 'src', 'index.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-api-'));
  try {
    const file = path.join(dir, 'example.mjs');
    fs.writeFileSync(file, code.replace(/from 'densec'/g, `from ${JSON.stringify(index)}`));
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('true true true');
    expect(r.stdout).toContain('Transition Layer (1)');
    expect(Number(lines.at(-2))).toBeGreaterThan(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
