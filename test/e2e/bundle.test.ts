// The bundled CLI that `node bin/densec.js` runs: dist/cli/densec.cjs, compiled by bin/load.js
// with the V8 code cache that scripts/bundle.mjs (the global setup) wrote after a compile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadBundle } from '../../bin/load.js';
import { densec, root } from './cli.js';

const bundle = path.join(root, 'dist/cli/densec.cjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-bundle-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A copy of the bundle in its own folder, with `cache` (bytes) beside it when given. */
function copy(name: string, cache?: Uint8Array): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'densec.cjs');
  fs.copyFileSync(bundle, file);
  if (cache) fs.writeFileSync(`${file}.cache`, cache);
  return file;
}

describe('the bundled CLI and its code cache', () => {
  test('the build wrote a cache that this Node accepts', () => {
    const loaded = loadBundle(bundle);
    expect(loaded.cached).toBe(true);
    expect(loaded.rejected).toBe(false);
    expect(typeof loaded.exports.main).toBe('function');
  });

  test('the bundle is ASCII, since load.js reads it as latin1 into a one-byte string', () => {
    const bytes = fs.readFileSync(bundle);
    const first = bytes.findIndex((b) => b > 0x7f);
    expect(first === -1 ? 'all ASCII' : `byte ${first}: ${bytes.subarray(first - 40, first + 40).toString()}`).toBe('all ASCII');
  });

  test('a damaged cache is refused by V8 and the bundle still loads from its source', () => {
    const good = fs.readFileSync(`${bundle}.cache`);
    const damaged = Uint8Array.from(good, (b, i) => (i < 64 ? b ^ 0xff : b));
    const loaded = loadBundle(copy('damaged', damaged));
    expect(loaded.cached).toBe(true);
    expect(loaded.rejected).toBe(true);
    expect(typeof loaded.exports.main).toBe('function');
  });

  test('a cache older than the bundle is not offered', () => {
    const file = copy('stale', fs.readFileSync(`${bundle}.cache`));
    const later = new Date(fs.statSync(`${file}.cache`).mtimeMs + 10_000);
    fs.utimesSync(file, later, later);
    expect(loadBundle(file).cached).toBe(false);
  });

  test('the bundle holds no import(), which a vm.Script cannot run', () => {
    expect(fs.readFileSync(bundle, 'utf8')).not.toMatch(/\bimport\(/);
  });

  test('commands that load external packages run from it: graph (Graphviz) and fmt', () => {
    const svg = path.join(scratch, 'g.svg');
    const graph = densec('graph', 'specs/cifar.dense', '--model', 'densenet_40_12', '-o', svg);
    expect(graph.code, graph.stderr).toBe(0);
    expect(fs.readFileSync(svg, 'utf8')).toContain('<svg');
    const fmt = densec('fmt', '--check', 'specs');
    expect(fmt.code, fmt.stdout + fmt.stderr).toBe(0);
  });
});
