// `densec graph` end to end: the built CLI on the real specs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { densec, root } from './cli.js';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-graph-'));
});

describe('densec graph', () => {
  test('prints the block-level SVG of the only model by default', () => {
    const r = densec('graph', 'specs/densenet121.dense');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/<svg[\s\S]*>Dense Block \(4\)<\/text>[\s\S]*<\/svg>\n$/);
  });

  test('writes to -o, picking the format from the extension', () => {
    const out = path.join(dir, 'd121.html');
    const r = densec('graph', 'specs/densenet121.dense', '--level', 'layers', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${out} (densenet121, layers, html)\n`);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
  });

  test('--format dot --level ops prints DOT with a node per op', () => {
    const r = densec('graph', 'specs/cifar.dense', '--model', 'densenet_40_12', '--format', 'dot', '--level', 'ops');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph "densenet_40_12" \{/);
    expect(r.stdout).toContain('subgraph "cluster_dense_block_3_layer12"');
  });

  test('asks for --model when the file has several, and names them', () => {
    const r = densec('graph', 'specs/cifar.dense');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pick one with `--model <name>`');
    expect(r.stderr).toContain('`densenet_bc_190_40`');
    expect(densec('graph', 'specs/cifar.dense', '--model', 'nope').code).toBe(1);
  });

  test('rejects an unknown level or format as a usage error', () => {
    expect(densec('graph', 'specs/densenet121.dense', '--level', 'pixels').code).toBe(1);
    expect(densec('graph', 'specs/densenet121.dense', '--format', 'png').code).toBe(1);
  });

  test('reports errors in the spec with exit 2', () => {
    const bad = path.join(dir, 'bad.dense');
    fs.writeFileSync(bad, 'model m {\n  input 3 x 32 x 32\n  conv 3x3 out\n}\n');
    const r = densec('graph', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[D0\d{3}\]/);
    expect(densec('graph', path.join(dir, 'missing.dense')).code).toBe(66); // an input file that cannot be read
  });
});
