// `densec inspect` end to end: the built CLI on the real specs.
import { describe, expect, test } from 'vitest';
import { densec, root } from './cli.js';

describe('densec inspect', () => {
  test('prints a table of the Table 1 stages and the totals', () => {
    const r = densec('inspect', 'specs/densenet121.dense');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = [
      ['Convolution', '[64, 112, 112]'],
      ['Pooling', '[64, 56, 56]'],
      ['Dense Block (1)', '[256, 56, 56]'],
      ['Transition Layer (1)', '[128, 28, 28]'],
      ['Dense Block (4)', '[1024, 7, 7]'],
      ['Classification Layer', '[1000]'],
    ];
    for (const [stage, shape] of rows) expect(r.stdout).toMatch(new RegExp(`\\n${stage.replace(/[()]/g, '\\$&')} +${shape.replace(/[[\]]/g, '\\$&')} +[\\d,]+ +[\\d,]+\\n`));
    expect(r.stdout).toMatch(/Model: densenet121 {2}\(is "DenseNet-121"\)/);
    expect(r.stdout).toMatch(/Learnable parameters: +7,978,856\n/);
    expect(r.stdout).toMatch(/BN running statistics: +83,648 /);
    expect(r.stdout).toMatch(/Multiply-accumulates: +2,834,161,664 +\(5\.67 GFLOPs/);
  });

  test('--json gives the counts and the stage shapes', () => {
    const r = densec('inspect', 'specs/densenet121.dense', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.params).toMatchObject({ learnable: 7_978_856, bnRunningStats: 83_648 });
    expect(j.macs).toBe(2_834_161_664);
    expect(j.stages.map((s: { name: string; shape: number[] }) => [s.name, s.shape])).toEqual([
      ['convolution', [64, 112, 112]],
      ['pooling', [64, 56, 56]],
      ['dense_block_1', [256, 56, 56]],
      ['transition_1', [128, 28, 28]],
      ['dense_block_2', [512, 28, 28]],
      ['transition_2', [256, 14, 14]],
      ['dense_block_3', [1024, 14, 14]],
      ['transition_3', [512, 7, 7]],
      ['dense_block_4', [1024, 7, 7]],
      ['classification', [1000, 1, 1]],
    ]);
  });

  test('--depth 2 lists the dense layers', () => {
    const r = densec('inspect', 'specs/densenet121.dense', '--depth', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {2}features\.denseblock3\.denselayer24 +\[32, 14, 14\] /);
    expect(r.stdout).toMatch(/\n {2}classifier +\[1000\] +1,025,000 +1,024,000\n/);
  });

  test('inspects each model of a file, or the one --model names', () => {
    const all = densec('inspect', 'specs/cifar.dense', '--json');
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).models).toHaveLength(6);
    const one = densec('inspect', 'specs/cifar.dense', '--model', 'densenet_bc_100_12', '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).params.learnable).toBe(769_162);
    const text = densec('inspect', 'specs/cifar.dense');
    expect(text.stdout.match(/^Model: /gm)).toHaveLength(6);
  });

  test('exits 1 for an unknown --model or a bad --depth', () => {
    const r = densec('inspect', 'specs/cifar.dense', '--model', 'densenet_7');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no model named `densenet_7`');
    expect(densec('inspect', 'specs/densenet121.dense', '--depth', '0').code).toBe(1);
  });

  test('exits 2 with the diagnostic for a spec with shape errors', () => {
    const r = densec('inspect', 'specs/invalid/D0505-linear-unpooled.dense');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error[D0505]: `linear` needs a flat input, found a 20x32x32 feature map');
    expect(r.stderr).toContain('--> specs/invalid/D0505-linear-unpooled.dense:9:3');
    const json = densec('inspect', 'specs/invalid/D0505-linear-unpooled.dense', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).diagnostics[0]).toMatchObject({ code: 'D0505', line: 9, column: 3 });
  });

  test('exits 66 for a file it cannot read', () => {
    const r = densec('inspect', 'specs/nothing-here.dense');
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('error[D0901]: cannot read `specs/nothing-here.dense`');
  });
});
