// A unified diff of two texts, line by line, for `densec fmt --check` (the format of `diff -u`:
// `@@ -a,b +c,d @@` hunks with three lines of context). Longest common subsequence by dynamic
// programming: specs are short, and this runs only for files that differ.

export interface DiffOptions {
  readonly from: string;
  readonly to: string;
  readonly context?: number;
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Lines with their `\n`: a last line without one differs from the same line with one. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function show(o: Op): string {
  return o.line.endsWith('\n') ? o.kind + o.line.slice(0, -1) : `${o.kind}${o.line}\n\\ No newline at end of file`;
}

function edits(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] });
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', line: a[i++] });
    else ops.push({ kind: '+', line: b[j++] });
  }
  return ops;
}

/** The unified diff from `a` to `b`, or '' when they are equal. */
export function unifiedDiff(a: string, b: string, options: DiffOptions): string {
  if (a === b) return '';
  const context = options.context ?? 3;
  const ops = edits(lines(a), lines(b));
  const out = [`--- ${options.from}`, `+++ ${options.to}`];
  let k = 0;
  while (k < ops.length) {
    // The next change, and the hunk around it: changes closer than 2 * context share a hunk.
    while (k < ops.length && ops[k].kind === ' ') k++;
    if (k === ops.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    for (let gap = 0; end < ops.length && gap <= 2 * context; end++) gap = ops[end].kind === ' ' ? gap + 1 : 0;
    end = Math.min(ops.length, trimContext(ops, end, context));
    const hunk = ops.slice(start, end);
    const before = ops.slice(0, start);
    const aStart = before.filter((o) => o.kind !== '+').length;
    const bStart = before.filter((o) => o.kind !== '-').length;
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`);
    out.push(...hunk.map(show));
    k = end;
  }
  return out.join('\n') + '\n';
}

/** Ends a hunk `context` lines after its last change. */
function trimContext(ops: readonly Op[], end: number, context: number): number {
  let last = end - 1;
  while (last >= 0 && ops[last].kind === ' ') last--;
  return last + 1 + context;
}

/** `start,len` as diff -u writes it: 1-based, and `start` is the line before when len is 0. */
function range(start: number, len: number): string {
  return len === 0 ? `${start},0` : len === 1 ? `${start + 1}` : `${start + 1},${len}`;
}
