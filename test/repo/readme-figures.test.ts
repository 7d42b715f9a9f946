// The README's figures are generated (scripts/readme-figures.ts): each deterministic block must
// equal what the script computes now, so a change to the compiler that moves a figure fails here
// until `npm run readme` (or UPDATE_README=1 on this test) rewrites README.md. Timings cannot be
// recomputed; each must carry its spread and the machine it ran on.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockOf, deterministicFigures, replaceBlocks, timings } from '../../scripts/readme-figures.js';

const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'README.md');
const readme = fs.readFileSync(file, 'utf8');
const figures = deterministicFigures(root);

if (process.env.UPDATE_README) fs.writeFileSync(file, replaceBlocks(readme, figures));

describe('README figures', () => {
  it.each([...figures.keys()])('%s: the block equals what the script computes', (name) => {
    expect(blockOf(readme, name), `README.md's <!-- figures:${name} --> block; \`npm run readme\` rewrites it`).toBe(figures.get(name));
  });

  it('the zoo has a row per model of every spec in specs/, and densenet121 has torchvision\'s count', () => {
    const zoo = figures.get('zoo')!;
    expect(zoo.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| spec') && !l.startsWith('| ---'))).toHaveLength(12);
    expect(zoo).toContain('| densenet121.dense | DenseNet-121 | 7,978,856 |');
  });

  it('every timing in the timings block carries its p10 to p90 spread and the machine', () => {
    const block = blockOf(readme, 'timings');
    expect(block).toBeDefined();
    const rows = block!.split('\n').filter((l) => /^\| \w/.test(l) && !l.startsWith('| model'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatch(/\d+\.\d\d ms \(\d+\.\d\d to \d+\.\d\d\) \| \d+\.\d\d ms \(\d+\.\d\d to \d+\.\d\d\) \|.*\| \d\.\d{3}x \(\d\.\d{3} to \d\.\d{3}\) \|/);
    expect(block).toMatch(/From `out\/bench\/bench\.json` of \d{4}-\d\d-\d\d: .+ cores as Node counts them, Node v\d+/);
  });

  it('writes the bench.json matrix with each spread and the machine', () => {
    const latency = (name: string, median: number) => ({ name, median, p10: median - 1, p90: median + 2, runs: 20 });
    const ratios = [{ of: '-O2', over: '-O0', median: 1.25, p10: 1.2, p90: 1.3 }, { of: '-O2', over: 'peer', median: 1.5, p10: 1.4, p90: 1.6 }];
    const text = timings({
      date: '2026-12-01T00:00:00Z',
      machine: { cpu: 'Some CPU', cores: 2, node: 'v20.0.0' },
      loadBefore: [1, 1, 1],
      loadAfter: [2, 2, 2],
      models: [{ model: 'm', cells: [{ runtime: 'onnxruntime', batch: 8, threads: 1, rows: [latency('-O0', 50), latency('-O2', 40), latency('peer', 60)], ratios }] }],
    });
    expect(text).toContain('| m | onnxruntime | 8 | 1 | 20 | 50.00 ms (49.00 to 52.00) | 40.00 ms (39.00 to 42.00) | 60.00 ms (59.00 to 62.00) | 1.250x (1.200 to 1.300) | 1.500x (1.400 to 1.600) |');
    expect(text).toContain('From `out/bench/bench.json` of 2026-12-01: Some CPU, 2 cores as Node counts them, Node v20.0.0; load average 1.00 1.00 1.00 before, 2.00 2.00 2.00 after.');
  });

  it('replaces only between markers, and refuses a missing block', () => {
    const text = 'a\n<!-- figures:x -->\nold\n<!-- /figures -->\nb\n<!-- figures:y -->\n<!-- /figures -->\n';
    expect(replaceBlocks(text, new Map([['x', 'new'], ['y', 'z']]))).toBe('a\n<!-- figures:x -->\nnew\n<!-- /figures -->\nb\n<!-- figures:y -->\nz\n<!-- /figures -->\n');
    expect(() => replaceBlocks(text, new Map([['w', '1']]))).toThrow(/no <!-- figures:w -->/);
  });
});
