// The verification table for people: one row per model, one column per check (mark and
// figure), the details of what differs below it, and the `N passed, N failed` line. And the
// same as data for --json.
import type { Check, CheckName, Status } from './checks.js';
import { checkNames } from './checks.js';
import type { ModelReport } from './verify.js';

export interface Row {
  readonly file: string;
  readonly report: ModelReport;
}

const marks: Record<Status, string> = { pass: '✓', fail: '✗', note: '≠', skip: '–' };

export interface Paint {
  readonly pass: (s: string) => string;
  readonly fail: (s: string) => string;
  readonly note: (s: string) => string;
  readonly skip: (s: string) => string;
}

const plain: Paint = { pass: (s) => s, fail: (s) => s, note: (s) => s, skip: (s) => s };

/** Columns shown: the cpu comparison only when some model ran on a GPU. */
function columns(rows: readonly Row[]): CheckName[] {
  const gpu = rows.some((r) => r.report.ep !== 'cpu');
  return checkNames.filter((c) => c !== 'cpu' || gpu);
}

const cell = (c: Check | undefined): string => (c ? `${marks[c.status]} ${c.figure}` : '');

export function renderTable(rows: readonly Row[], paint: Paint = plain): string {
  const cols = columns(rows);
  const head = ['model', 'ep', ...cols, 'time'];
  const body = rows.map((r) => [
    r.report.model,
    r.report.ep,
    ...cols.map((name) => cell(r.report.checks.find((c) => c.name === name))),
    `${(r.report.ms / 1000).toFixed(2)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]].length)));
  const line = (cells: string[], colour?: (i: number) => ((s: string) => string) | undefined): string =>
    cells
      .map((c, i) => {
        const padded = c + ' '.repeat(widths[i] - [...c].length);
        return colour?.(i)?.(padded) ?? padded;
      })
      .join('  ')
      .trimEnd();
  const lines = [line(head)];
  rows.forEach((r, k) => {
    lines.push(line(body[k], (i) => {
      const check = i >= 2 && i < 2 + cols.length ? r.report.checks.find((c) => c.name === cols[i - 2]) : undefined;
      return check ? paint[check.status] : undefined;
    }));
  });
  return lines.join('\n');
}

/** What failed, and what differs from a paper model without failing (`like`). */
export function renderDetails(rows: readonly Row[], paint: Paint = plain): string {
  const lines: string[] = [];
  for (const r of rows) {
    for (const c of r.report.checks) {
      if ((c.status === 'fail' || c.status === 'note') && c.detail) lines.push(`${paint[c.status](marks[c.status])} ${r.report.model} ${c.name}: ${c.detail}`);
    }
    for (const s of r.report.skipped) lines.push(`${paint.skip('–')} ${r.report.model}: --ep auto skipped ${s.ep}: ${s.diagnostic.message}`);
  }
  return lines.join('\n');
}

export function tally(rows: readonly Row[]): { passed: number; failed: number } {
  const passed = rows.filter((r) => r.report.passed).length;
  return { passed, failed: rows.length - passed };
}

export function reportJson(rows: readonly Row[]) {
  return rows.map(({ file, report }) => ({
    file,
    model: report.model,
    claim: report.claim ?? null,
    ep: report.ep,
    passed: report.passed,
    ms: Math.round(report.ms),
    checks: report.checks.map((c) => ({ name: c.name, status: c.status, figure: c.figure, ...(c.detail ? { detail: c.detail } : {}) })),
    ...(report.skipped.length > 0 ? { skipped: report.skipped.map((s) => ({ ep: s.ep, code: s.diagnostic.code, message: s.diagnostic.message, detail: s.detail })) } : {}),
  }));
}
