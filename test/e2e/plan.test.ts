// `densec plan` end to end: the built CLI on the real specs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { densec, root } from './cli.js';

function planJson(...args: string[]) {
  const r = densec('plan', ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('densec plan', () => {
  for (const level of ['0', '2']) {
    test(`densenet121 -O${level}: the peak is within 1.10x of its lower bound and concats copy nothing`, () => {
      const p = planJson('specs/densenet121.dense', '-O', level);
      expect(p.model).toBe('densenet121');
      expect(p.batch).toBe(1);
      expect(p.lowerBoundBytes).toBeLessThanOrEqual(p.peakBytes);
      expect(p.peakBytes).toBeLessThanOrEqual(1.1 * p.lowerBoundBytes);
      expect(p.naiveBytes).toBeGreaterThan(10 * p.peakBytes);
      expect(p.concatCopyBytes.planned).toBe(0);
      // Without elimination every concat copies its whole output: 38.8 MiB at -O0 (one per
      // layer); -O2's split bottlenecks leave a third as many concats and split-block-output
      // drops the blocks' outputs (8.9 MiB left).
      expect(p.concatCopyBytes.withoutElimination).toBeGreaterThan((level === '0' ? 30 : 8) * 2 ** 20);
      expect(p.stages.map((s: { stage: string }) => s.stage)).toContain('dense_block_4');
      expect(p.layout).toBe('eliminated');
      expect(p.peakWithCopiesBytes).toBeGreaterThanOrEqual(p.peakBytes);
      // onnxruntime's measured peak holds at least the stem conv's output (64 x 112 x 112 floats).
      expect(p.onnxruntime.measured).toBe(true);
      expect(p.onnxruntime.memInUsePeakBytes).toBeGreaterThanOrEqual(64 * 112 * 112 * 4);
    });
  }

  test('at batch 8 the plan is never above the same schedule with every concat copying', () => {
    const p = planJson('specs/densenet121.dense', '-O', '0', '--batch', '8', '--no-runtime');
    expect(p.peakWithCopiesBytes).toBeGreaterThanOrEqual(p.peakBytes);
    expect(p.peakBytes).toBe(Math.min(p.peakEliminatedBytes, p.peakWithCopiesBytes));
    expect(p.onnxruntime).toEqual({ skipped: '--no-runtime' });
    const text = densec('plan', 'specs/densenet121.dense', '-O', '0', '--batch', '8', '--no-runtime').stdout;
    expect(text).toMatch(/^ {2}with copies +\d+\.\d\d MiB +\d+ bytes: the same schedule/m);
    expect(text).toMatch(/^ {2}onnxruntime +skipped +--no-runtime$/m);
  });

  test('the peak grows linearly with depth; one buffer per tensor grows quadratically', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-plan-'));
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.copyFileSync(path.join(root, 'specs/lib/cifar.dense'), path.join(dir, 'lib/cifar.dense'));
    const depths = [40, 100, 160, 220];
    const text = ['use "lib/cifar.dense"', ...depths.map((d) => `model bc_${d} = densenet_bc(depth = ${d}, k = 12)`)].join('\n');
    fs.writeFileSync(path.join(dir, 'bc.dense'), text + '\n');
    const { models } = planJson(path.join(dir, 'bc.dense'), '-O', '0');
    const peaks: number[] = models.map((m: { peakBytes: number }) => m.peakBytes);
    const naive: number[] = models.map((m: { naiveBytes: number }) => m.naiveBytes);
    // Equal steps in depth: equal steps in peak (within 2%), growing steps in naive bytes.
    const steps = peaks.slice(1).map((p, i) => p - peaks[i]);
    for (const s of steps) expect(Math.abs(s - steps[0])).toBeLessThan(0.02 * steps[0]);
    const naiveSteps = naive.slice(1).map((p, i) => p - naive[i]);
    expect(naiveSteps[2]).toBeGreaterThan(1.5 * naiveSteps[0]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('--batch plans every sample and --svg draws the arena', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-plan-'));
    const svg = path.join(dir, 'plan.svg');
    const one = planJson('specs/cifar.dense', '--model', 'densenet_40_12');
    const four = planJson('specs/cifar.dense', '--model', 'densenet_40_12', '--batch', '4', '--svg', svg);
    expect(four.batch).toBe(4);
    expect(four.naiveBytes).toBe(4 * one.naiveBytes);
    // Every sample's tensors, but one kernel scratch shared by all: at the step of batch 1's
    // lower bound, four samples hold at least four times its tensors.
    expect(four.peakBytes).toBeGreaterThanOrEqual(four.lowerBoundBytes);
    expect(four.lowerBoundBytes).toBeGreaterThanOrEqual(4 * (one.lowerBoundBytes - one.workspaceBytes));
    expect(four.peakBytes).toBeGreaterThan(one.peakBytes);
    const text = fs.readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg /);
    expect(text).toContain('dense_block_3');
    expect((text.match(/<rect /g) ?? []).length).toBeGreaterThan(100);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('prints the figures as a table', () => {
    const r = densec('plan', 'specs/cifar.dense', '--model', 'densenet_bc_100_12');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^densenet_bc_100_12 \(-O2, batch 1, input 3x32x32\)\n/);
    expect(r.stdout).toMatch(/\n {2}peak \(arena\) +[\d.]+ MiB/);
    expect(r.stdout).toMatch(/\n {2}lower bound +[\d.]+ MiB .*peak is [\d.]+x/);
    expect(r.stdout).toMatch(/\n {2}concat copies +0\.00 MiB/);
    expect(r.stdout).toMatch(/\n {2}dense_block_3 +[\d.]+ MiB +[\d.]+ MiB +[\d.]+ MiB\n/);
    expect(r.stdout).toMatch(/\n {2}onnxruntime +[\d.]+ MiB +measured: /);
  });

  test('an unknown model is a usage error', () => {
    const r = densec('plan', 'specs/cifar.dense', '--model', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no model named `nope`/);
  });
});
