import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { imagenetClasses, softmax, topK } from '../../src/image/classes.js';
import { runScript, torchMissing } from '../parity/python.js';

describe('ImageNet class names', () => {
  it('are the 1000 classes in index order', () => {
    expect(imagenetClasses).toHaveLength(1000);
    expect(new Set(imagenetClasses).size).toBeGreaterThan(990); // a few names repeat (crane, maillot)
    expect([0, 1, 207, 281, 999].map((i) => imagenetClasses[i])).toEqual(['tench', 'goldfish', 'golden retriever', 'tabby', 'toilet tissue']);
  });

  it.skipIf(torchMissing)(`are torchvision's _IMAGENET_CATEGORIES ${torchMissing ? `(skipped: ${torchMissing})` : ''}`, () => {
    const checkedIn = readFileSync(new URL('../../src/image/imagenet-classes.json', import.meta.url), 'utf8');
    expect(runScript('imagenet_classes.py', []).stdout).toBe(checkedIn);
  });
});

describe('top-k', () => {
  it('lists the most probable classes first, with names', () => {
    const p = new Float64Array(1000);
    p[207] = 0.6;
    p[281] = 0.3;
    p[0] = 0.1;
    expect(topK(p, 3)).toEqual([
      { index: 207, name: 'golden retriever', probability: 0.6 },
      { index: 281, name: 'tabby', probability: 0.3 },
      { index: 0, name: 'tench', probability: 0.1 },
    ]);
  });

  it('breaks ties by index, and names classes past the list by number', () => {
    expect(topK([0.25, 0.25, 0.5], 5, ['a', 'b'])).toEqual([
      { index: 2, name: 'class 2', probability: 0.5 },
      { index: 0, name: 'a', probability: 0.25 },
      { index: 1, name: 'b', probability: 0.25 },
    ]);
  });
});

describe('softmax', () => {
  it('sums to 1 and survives large logits', () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[1]).toBeCloseTo(Math.E / (1 + Math.E + 1 / Math.E), 12);
  });
});
