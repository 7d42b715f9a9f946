// The unified diff of `densec fmt --check`, in the format of `diff -u`.
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/format/diff.js';

const opts = { from: 'a.dense', to: 'a.dense (formatted)' };
const text = (...xs: string[]) => xs.join('\n') + '\n';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', opts)).toBe('');
  });

  it('shows a changed line with three lines of context, removals first', () => {
    const a = text('1', '2', '3', '4', 'x', '6', '7', '8', '9');
    const b = text('1', '2', '3', '4', 'y', '6', '7', '8', '9');
    expect(unifiedDiff(a, b, opts)).toBe(text('--- a.dense', '+++ a.dense (formatted)', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-x', '+y', ' 6', ' 7', ' 8'));
  });

  it('splits changes far apart into hunks and joins close ones', () => {
    const a = text(...'abcdefghijklmnop'.split(''));
    const b = text(...'Abcdefghijklmnop'.split('').map((c) => (c === 'p' ? 'P' : c)));
    const hunks = unifiedDiff(a, b, opts).split('\n').filter((l) => l.startsWith('@@'));
    expect(hunks).toEqual(['@@ -1,4 +1,4 @@', '@@ -13,4 +13,4 @@']);
    const close = text('A', 'b', 'c', 'd', 'e', 'F', 'g');
    expect(unifiedDiff(text('a', 'b', 'c', 'd', 'e', 'f', 'g'), close, opts).split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,7 +1,7 @@']);
  });

  it('writes added and removed lines with empty ranges as diff -u does', () => {
    expect(unifiedDiff('', 'a\n', opts)).toBe(text('--- a.dense', '+++ a.dense (formatted)', '@@ -0,0 +1 @@', '+a'));
    expect(unifiedDiff('a\n', '', opts)).toBe(text('--- a.dense', '+++ a.dense (formatted)', '@@ -1 +0,0 @@', '-a'));
  });

  it('marks a last line without a newline', () => {
    expect(unifiedDiff('a', 'a\n', opts)).toBe(text('--- a.dense', '+++ a.dense (formatted)', '@@ -1 +1 @@', '-a', '\\ No newline at end of file', '+a'));
  });
});
