// Regression specs (test/fuzz/regressions/): specs that broke densec, each shrunk to a minimal
// one with a comment saying what failed. Every one goes through the differential checks.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { drive } from '../../src/driver.js';
import { transitionChannels } from '../../src/ir/rules.js';
import { exactOfLiteral } from '../../src/check/exact.js';
import { checkSample } from './check.js';

const dir = 'test/fuzz/regressions';
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.dense')).sort();

describe('regression specs', () => {
  test.each(files)('%s passes every differential check', async (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const failures = await checkSample({ text, files: {}, structure: { name: 'm', input: [0, 0, 0], layers: [] } });
    expect(failures).toEqual([]);
  });

  test('0.29 of 100 channels is 29; 0.7 of 90 is 63', () => {
    expect(transitionChannels(exactOfLiteral('0.29'), 100)).toBe(29);
    expect(transitionChannels(exactOfLiteral('0.7'), 90)).toBe(63);
    const driven = drive(fs.readFileSync(path.join(dir, 'compression-0.29-of-100.dense'), 'utf8'), { until: 'lowered' });
    const conv = driven.models[0].lowered!.nodes.find((n) => n.scope === 'features.transition1.conv')!;
    expect(conv.output.shape[0]).toBe(29);
  });
});
