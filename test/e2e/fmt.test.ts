// `densec fmt` end to end: the built CLI on the real specs and on files in a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { densecWith, root } from './cli.js';

const densec = (args: string[], input?: string) => densecWith(args, { input });

let dir: string;
const messy = 'model   m {\n  conv 3 x 3 out 8   # the stem\nbn\n}\n';
const tidy = 'model m {\n  conv 3x3 out 8     # the stem\n  bn\n}\n';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-fmt-'));
});

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('densec fmt', () => {
  test('--check passes on every spec in specs/', () => {
    const specs = ['specs', 'specs/lib'].flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.dense')).map((f) => `${d}/${f}`));
    const r = densec(['fmt', '--check', ...specs]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a folder stands for the .dense files under it, skipping invalid/ folders', () => {
    expect(densec(['fmt', '--check', 'specs'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'lib'), { recursive: true });
    fs.mkdirSync(path.join(tree, 'invalid'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'lib', 'nested.dense'), messy);
    fs.writeFileSync(path.join(tree, 'invalid', 'broken.dense'), 'model {');
    fs.writeFileSync(path.join(tree, 'notes.txt'), messy);
    const r = densec(['fmt', '--check', '--json', tree]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).files).toEqual([{ file: path.join(tree, 'lib', 'nested.dense'), status: 'changed' }]);
  });

  test('prints the formatted text to stdout and leaves the file alone', () => {
    const p = file('print.dense', messy);
    const r = densec(['fmt', p]);
    expect(r).toEqual({ code: 0, stdout: tidy, stderr: '' });
    expect(fs.readFileSync(p, 'utf8')).toBe(messy);
  });

  test('--check prints a unified diff and exits 3 when a file is not formatted', () => {
    const p = file('check.dense', messy);
    const r = densec(['fmt', '--check', p]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(
      [`--- ${p}`, `+++ ${p} (formatted)`, '@@ -1,4 +1,4 @@', '-model   m {', '-  conv 3 x 3 out 8   # the stem', '-bn', '+model m {', '+  conv 3x3 out 8     # the stem', '+  bn', ' }', ''].join('\n'),
    );
    expect(fs.readFileSync(p, 'utf8')).toBe(messy);
  });

  test('--write rewrites files in place, after which --check passes', () => {
    const p = file('write.dense', messy);
    const r = densec(['fmt', '--write', p]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`formatted ${p}\n`);
    expect(fs.readFileSync(p, 'utf8')).toBe(tidy);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(densec(['fmt', '--check', p]).code).toBe(0);
    expect(densec(['fmt', '--write', p]).stderr).toBe('');
  });

  test('refuses a file with syntax errors: diagnostics, exit 2, file untouched', () => {
    const p = file('broken.dense', 'model m = f(\nconst  a=1\n');
    const r = densec(['fmt', '--write', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[D02\d\d\]/);
    expect(r.stderr).toContain(`${p}:`);
    expect(fs.readFileSync(p, 'utf8')).toBe('model m = f(\nconst  a=1\n');
  });

  test('reports a missing file with D0901 and exit 66, and still formats the others', () => {
    const p = file('other.dense', messy);
    const r = densec(['fmt', '--check', path.join(dir, 'missing.dense'), p]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('error[D0901]');
    expect(r.stdout).toContain('+++');
  });

  test('formats standard input without files', () => {
    expect(densec(['fmt'], 'const  a=1\n')).toEqual({ code: 0, stdout: 'const a = 1\n', stderr: '' });
  });

  test('--json reports each file', () => {
    const a = file('a.dense', tidy);
    const b = file('b.dense', messy);
    const r = densec(['fmt', '--check', '--json', a, b]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ files: [{ file: a, status: 'formatted' }, { file: b, status: 'changed' }] });
  });

  test('--check and --write together, or --write without files, are usage errors', () => {
    expect(densec(['fmt', '--check', '--write', 'specs/cifar.dense']).code).toBe(1);
    expect(densec(['fmt', '--write'], '').code).toBe(1);
  });

  test('documents its exit codes in --help', () => {
    expect(densec(['fmt', '--help']).stdout).toContain('3 with --check: some file is not formatted');
  });
});
