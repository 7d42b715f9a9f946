// Golden IR dumps of every model in specs/: test/golden/ir/<model>.txt. UPDATE_GOLDEN=1 rewrites
// them; review the diff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { dumpGraph } from '../../src/ir/dump.js';
import { lower } from '../../src/ir/lower.js';
import { allModels, root } from './specs.js';
import { imagenet } from './handmade.js';

const goldenDir = path.join(root, 'test/golden/ir');
const update = process.env.UPDATE_GOLDEN === '1';

describe('golden IR dumps', () => {
  test.each(allModels().map((m) => [m.model.name, m] as const))('%s', (name, m) => {
    const text = dumpGraph(m.graph, m.sources);
    const file = path.join(goldenDir, `${name}.txt`);
    if (update) {
      fs.mkdirSync(goldenDir, { recursive: true });
      fs.writeFileSync(file, text);
    }
    expect(fs.existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(text).toBe(fs.readFileSync(file, 'utf8'));
  });
});

describe('dumpGraph', () => {
  test('writes one line per node, values numbered densely in order', () => {
    const g = lower(imagenet([2])).graph!;
    const lines = dumpGraph(g).split('\n');
    expect(lines[0]).toBe('graph imagenet(%t0: [1,3,224,224])');
    expect(lines[1]).toBe('# Convolution');
    expect(lines[2]).toBe('%t1 = conv(%t0) k=7x7 s=2 p=3 out=64  [1,64,112,112]  params=9408  macs=118013952  features.conv0  @handmade.dense[10]');
    expect(lines.filter((l) => l.startsWith('%t'))).toHaveLength(g.nodes.length);
    expect(lines).toContain('%t11 = concat(%t4, %t10)  [1,96,56,56]  params=0  macs=0  features.denseblock1.denselayer2.concat  @handmade.dense[100]');
    expect(lines.at(-2)).toBe(`return %t${g.nodes.length}`);
  });

  test('does not depend on value ids', () => {
    const a = lower(imagenet([2])).graph!;
    const b = lower(imagenet([2])).graph!;
    for (const n of b.nodes) (n.output as { id: number }).id += 1000;
    expect(dumpGraph(b)).toBe(dumpGraph(a));
  });
});
