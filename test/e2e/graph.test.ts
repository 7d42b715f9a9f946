// `densec graph` end to end: the built CLI on the real specs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readModel } from '../../src/emit/decode.js';
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
    expect(r.stderr).toBe(`wrote ${out} (densenet121, layers, -O2, html)\n`);
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

  test('draws the graph compile writes by default (-O2), and the lowering with -O0', () => {
    const at = (level?: string) => densec('graph', 'specs/cifar.dense', '--model', 'densenet_bc_100_12', '--format', 'dot', '--level', 'ops', ...(level ? ['-O', level] : []));
    const nodes = (dot: string) => (dot.match(/^ +"n\d+" \[/gm) ?? []).length;
    const [byDefault, o0, o2] = [at(), at('0'), at('2')];
    expect(byDefault.stdout).toBe(o2.stdout);
    const compiled = (level: string) => JSON.parse(densec('compile', 'specs/cifar.dense', '--model', 'densenet_bc_100_12', '-O', level, '-o', path.join(dir, `bc-O${level}.onnx`), '--json').stdout).models[0];
    expect(nodes(o0.stdout)).toBe(compiled('0').irNodes);
    expect(nodes(o2.stdout)).toBe(compiled('2').irNodes);
    expect(o2.stdout).toContain('<B>add</B>');
    expect(o0.stdout).not.toContain('<B>add</B>');
  });

  test('draws an ONNX file as it is: a box per node, an edge per node input, every Concat input', () => {
    const file = path.join(dir, 'small.onnx');
    expect(densec('compile', 'specs/cifar.dense', '--model', 'densenet_40_12', '-O0', '-o', file).code).toBe(0);
    const r = densec('graph', file, '--format', 'dot');
    expect(r.code).toBe(0);
    const model = readModel(fs.readFileSync(file), false);
    expect((r.stdout.match(/^ +"n\d+" \[/gm) ?? []).length).toBe(model.nodes.length);
    const produced = new Set(model.nodes.flatMap((n) => n.outputs).concat(model.inputs.map((t) => t.name)));
    const reads = model.nodes.reduce((k, n) => k + n.inputs.filter((x) => produced.has(x)).length, 0);
    expect((r.stdout.match(/^ +"(n\d+|in:[^"]+)" -> "n\d+"/gm) ?? []).length).toBe(reads);
    const concatInputs = model.nodes.filter((n) => n.opType === 'Concat').reduce((k, n) => k + n.inputs.length - 1, 0);
    expect((r.stdout.match(/constraint=false/g) ?? []).length).toBe(concatInputs);
    expect(r.stdout).toContain('subgraph "cluster_dense_block_3_layer12"');
    const wrong = densec('graph', file, '-O', '0');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('error[D0690]');
    expect(densec('graph', path.join(dir, 'missing.onnx')).stderr).toContain('error[D0691]');
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
