// The checks on their own, on made-up measurements: each one can fail, and says how.
import { describe, expect, test } from 'vitest';
import { checkCpuMatch, checkFinite, checkSoftmax, GPU_TOLERANCE, SOFTMAX_TOLERANCE } from '../../src/verify/checks.js';
import { renderTable, tally } from '../../src/verify/report.js';
import type { ModelReport } from '../../src/verify/verify.js';

const tensor = (dims: number[], values: number[]) => ({ dims, data: Float32Array.from(values) });

describe('checks', () => {
  test('softmax rows must sum to 1 within the tolerance', () => {
    expect(checkSoftmax(tensor([2, 2], [0.25, 0.75, 0.5, 0.5]), true).status).toBe('pass');
    const bad = checkSoftmax(tensor([2, 2], [0.25, 0.75, 0.5, 0.5 + 10 * SOFTMAX_TOLERANCE]), true);
    expect(bad.status).toBe('fail');
    expect(bad.detail).toMatch(/^a row sums to 1 ± 1e-4/);
    expect(checkSoftmax(tensor([1, 2], [3, 4]), false).status).toBe('skip');
  });

  test('finite: any NaN or Inf in any output fails, and says where', () => {
    const outputs = new Map([
      ['probabilities', tensor([1, 2], [0.5, 0.5])],
      ['stage.pooling', tensor([1, 3], [1, Number.NaN, Number.POSITIVE_INFINITY])],
    ]);
    expect(checkFinite(outputs)).toEqual({ name: 'finite', status: 'fail', figure: '2 bad', detail: 'NaN or Inf in stage.pooling (2)' });
  });

  test('a GPU run must match the CPU run within the tolerance', () => {
    const cpu = tensor([1, 2], [0.25, 0.75]);
    expect(checkCpuMatch(tensor([1, 2], [0.25 + GPU_TOLERANCE / 2, 0.75]), cpu).status).toBe('pass');
    expect(checkCpuMatch(tensor([1, 2], [0.25 + GPU_TOLERANCE * 2, 0.75]), cpu).status).toBe('fail');
    expect(checkCpuMatch(cpu, undefined).status).toBe('skip');
  });
});

describe('the table', () => {
  const report = (ep: 'cpu' | 'cuda', passed: boolean): ModelReport => ({
    model: `m_${ep}`,
    claim: undefined,
    ep,
    passed,
    ms: 1234,
    skipped: [],
    checks: [
      { name: 'output', status: 'pass', figure: '2x10' },
      { name: 'cpu', status: ep === 'cpu' ? 'skip' : passed ? 'pass' : 'fail', figure: ep === 'cpu' ? '-' : 'max 2e-6' },
    ],
  });

  test('shows the cpu column only when a model ran on a GPU', () => {
    expect(renderTable([{ file: 'a', report: report('cpu', true) }]).split('\n')[0]).toMatch(/^model +ep +output +finite +softmax +stages +params +paper +time$/);
    expect(renderTable([{ file: 'a', report: report('cuda', false) }]).split('\n')[0]).toMatch(/ paper +cpu +time$/);
    expect(renderTable([{ file: 'a', report: report('cuda', false) }]).split('\n')[1]).toMatch(/✗ max 2e-6 +1\.23 s$/);
  });

  test('tally counts models', () => {
    expect(tally([{ file: 'a', report: report('cpu', true) }, { file: 'b', report: report('cuda', false) }])).toEqual({ passed: 1, failed: 1 });
  });
});
