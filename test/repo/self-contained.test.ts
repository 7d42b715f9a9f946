// A user's clone has no ../shared and lives in any folder: nothing the suite, the scripts or the
// package runs may name a path outside the repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mjs|js|py|json|sh)$/.test(f) || f === '.ci/run')
  .filter((f) => fs.existsSync(f) && f !== 'test/repo/self-contained.test.ts');

describe('the repository is self-contained', () => {
  it('no tracked source, test or script names ../shared or an absolute /work path', () => {
    const offenders = tracked.filter((f) => /\.\.\/shared\/|['"`]\/work\//.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it("no tracked source, test or script but CI's own set-up names an interpreter by its absolute path", () => {
    const offenders = tracked.filter((f) => f !== '.ci/run' && /\/usr\/(local\/)?bin\/python/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no compiled Python is tracked: each machine writes its own __pycache__, with its own paths in it', () => {
    const compiled = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter((f) => /(^|\/)__pycache__\/|\.pyc$/.test(f));
    expect(compiled).toEqual([]);
  });

  it('the reference figures the tests use are a fixture in the repository, with their sources', () => {
    const ref = JSON.parse(fs.readFileSync('test/fixtures/densenet-reference.json', 'utf8'));
    expect(ref.about).toMatch(/Huang et al/);
    expect(ref.imagenet.models.densenet121.learnable).toBe(7978856);
  });
});
