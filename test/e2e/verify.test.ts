// `densec verify` end to end: every spec in specs/ (what `npm start` runs), failures, exit codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { providerInstalled } from '../../src/runtime/session.js';
import { densec, root } from './cli.js';

let dir: string;
const at = (name: string): string => path.join(dir, name);
const lib = path.join(root, 'specs/lib/imagenet.dense');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-verify-'));
  // Claims to be DenseNet-121 at 64x64: every stage size differs from Table 1.
  fs.writeFileSync(at('false-claim.dense'), `use "${lib}"\nmodel small121 = imagenet(blocks = [6, 12, 24, 16], size = 64) is "DenseNet-121"\n`);
  fs.writeFileSync(at('broken.dense'), 'model broken {\n  input 3 x 32 x 32\n  conv 3x3 out 0\n}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('densec verify', () => {
  test('every spec in specs/ passes; models go to --out as `densec compile` writes them', () => {
    const started = performance.now();
    const r = densec('verify', '--out', at('out'), '--json');
    const seconds = (performance.now() - started) / 1000;
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.failed).toBe(0);
    expect(json.passed).toBe(12);
    const blog = json.models.find((m: { model: string }) => m.model === 'blog_densenet121');
    const paper = blog.checks.find((c: { name: string }) => c.name === 'paper');
    expect(paper.status).toBe('note');
    expect(paper.detail).toContain('blocks [6, 12, 24, 6] (paper: [6, 12, 24, 16])');
    expect(paper.detail).toContain('k 12 (paper: 32)');
    expect(paper.detail).toContain('classes 10 (paper: 1000)');
    const d264 = json.models.find((m: { model: string }) => m.model === 'densenet264');
    expect(d264.checks.find((c: { name: string }) => c.name === 'params').figure).toBe('33,337,704');
    expect(fs.readdirSync(at('out'))).toHaveLength(12);
    console.log(`densec verify on every spec: ${json.seconds} s inside, ${seconds.toFixed(1)} s with start-up`);

    expect(densec('compile', 'specs/densenet121.dense', '-o', at('d121.onnx')).code).toBe(0);
    expect(fs.readFileSync(at('d121.onnx')).equals(fs.readFileSync(at('out/densenet121.onnx')))).toBe(true);
  });

  test('the text report: one row per model, a column per check, and the tally line', () => {
    const r = densec('verify', 'specs/blog-variant.dense', 'specs/lib/imagenet.dense');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^model +ep +output +finite +softmax +stages +params +paper +time$/);
    expect(lines[1]).toMatch(/^blog_densenet121 +cpu +✓ 2x10 +✓ yes +✓ max \S+ +✓ 10 ok +✓ 790,282 +≠ not DenseNet-121 +\d+\.\d\d s$/);
    expect(lines[2]).toMatch(/^≠ blog_densenet121 paper: not DenseNet-121: stem 7x7\/2 conv to 24 with bias, 3x3\/2 max pool \(paper: 7x7\/2 conv to 64, BN-ReLU, 3x3\/2 max pool\)/);
    expect(lines.at(-1)).toBe('1 passed, 0 failed');
  });

  test('a false `is` claim fails (exit 3), naming the stage sizes that differ from Table 1', () => {
    const r = densec('verify', at('false-claim.dense'));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('✗ small121 paper: not DenseNet-121: input 3x64x64 (paper: 3x224x224); stage convolution 32x32 (paper: 112x112);');
    expect(r.stdout).toContain('stage dense_block_4 2x2 (paper: 7x7)');
    expect(r.stdout).not.toContain('params 7'); // the same parameters: they do not depend on the input size
    expect(r.stdout).toMatch(/small121 +cpu .* ✓ 10 ok +✓ 7,978,856 +✗ 10 differ/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  test('a spec with errors exits 2', () => {
    const r = densec('verify', at('broken.dense'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[D\d{4}\]/);
  });

  test.skipIf(providerInstalled('cuda'))('an explicit GPU provider that cannot start exits 4 with the cause, the fix and the native detail', () => {
    const r = densec('verify', 'specs/blog-variant.dense', '--ep', 'cuda');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("error[D0802]: the CUDA execution provider's libraries are not installed");
    expect(r.stderr).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci');
    expect(r.stderr).toMatch(/= detail: onnxruntime said: .+/);
  });

  test('--ep auto falls back to the cpu and says what it skipped', () => {
    const r = densec('verify', 'specs/blog-variant.dense', '--ep', 'auto');
    expect(r.code).toBe(0);
    if (!providerInstalled('cuda')) expect(r.stdout).toContain('--ep auto skipped cuda');
  });
});
