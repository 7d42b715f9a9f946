// The Python-backed oracles (oracles.ts) on a fixed-seed sample of generated specs: the onnx
// checker and its shape inference, and a PyTorch module built from the generator's structure
// (counts, output shape, and outputs with its weights imported at -O0 and -O2). Skipped, saying
// why, without Debian's python3-torch and python3-onnx.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { validSpec } from './generate.js';
import { oracleFailures, pythonMissing } from './oracles.js';

const seed = 20261203;
const numRuns = Number(process.env.FUZZ_ORACLE_RUNS ?? 24);
if (pythonMissing) console.warn(`test/fuzz/oracles skipped: ${pythonMissing}`);

describe.skipIf(pythonMissing !== undefined)('generated specs against torch and the onnx checker', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-fuzz-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test(`${numRuns} specs: counts, shapes and outputs equal torch's; the onnx checker accepts every file`, async () => {
    const samples = fc.sample(validSpec, { seed, numRuns });
    const failures = await oracleFailures(samples, dir);
    const report = [...failures].map(([i, f]) => `${f.join('\n')}\n--- spec ---\n${samples[i].text}`).join('\n\n');
    expect(report).toBe('');
  }, 300_000);
});
