import { expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../src/emit/sha256.js';

test('sha256 matches the FIPS test vectors and node:crypto', () => {
  expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (const text of ['x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'model m = f(k = 32) # é ✓\n'.repeat(40)]) {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  }
});
