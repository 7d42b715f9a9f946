// Each rule: a text it accepts and texts it rejects, with the code and where the caret goes.
import { describe, expect, it } from 'vitest';
import { modelRules, sourceRules } from '../../src/check/rules/index.js';
import { check, codes, model } from './helpers.js';

const ok = model('input 3 x 32 x 32', 'conv 3x3 out 16', 'dense layers [2, 2] growth 12 compression 0.5', 'bn', 'relu', 'avgpool global', 'linear 10', 'softmax');

/** The text under the first diagnostic's span. */
function caret(text: string): string {
  const [d] = check(text).diagnostics;
  return d?.span ? text.slice(d.span.start, d.span.end) : '';
}

describe('the registry', () => {
  it('lists every rule once, by name', () => {
    const names = [...sourceRules, ...modelRules].map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('accepts a small valid model with nothing to say', () => {
    expect(codes(ok)).toEqual([]);
  });
});

describe('duplicates', () => {
  it('rejects a name declared twice (D0303) and a repeated parameter (D0304)', () => {
    expect(codes(`const a = 1\nconst a = 2\n${ok}`)).toContain('D0303');
    expect(codes(`family f(a, a) { input 3x8x8\n dense layers [1] growth a }\nmodel m = f(1, 2)`)).toContain('D0304');
    expect(codes(model('let w = 1', 'let w = 2', 'input 3x8x8', 'dense layers [w] growth 4'))).toEqual(['D0303']);
  });

  it('rejects a name that a used file declares too', () => {
    const r = codes(`use "lib/imagenet.dense"\nconst theta = 1\nmodel m = imagenet(blocks = [1, 1], k = 4, classes = 10, size = 64)\n`);
    expect(r.filter((c) => c !== 'D0310')).toEqual(['D0303']);
  });

  it('accepts distinct names, and a let that shadows a constant', () => {
    expect(codes(`const w = 1\n${model('let w = 2', 'input 3x8x8', 'dense layers [w] growth 4')}`)).toEqual([]);
  });
});

describe('names', () => {
  it('rejects unknown names with a suggestion (D0301), in families no model uses too', () => {
    const text = `family f(growth) { input 3x8x8\n dense layers [1] growth grwth }\n${ok}`;
    const d = check(text).diagnostics.find((x) => x.code === 'D0301')!;
    expect(d.help).toBe('did you mean `growth`?');
    expect(text.slice(d.span!.start, d.span!.end)).toBe('grwth');
  });

  it('rejects a family used as a value (D0312) and a self-referential constant (D0311)', () => {
    expect(codes(`family f(k) { input 3x8x8\n dense layers [1] growth k }\nmodel m = f(f)`)).toContain('D0312');
    expect(codes(`const a = b\nconst b = a + 1\n${model('input 3x8x8', 'dense layers [a] growth 4')}`)).toContain('D0311');
  });

  it('sees earlier parameters in defaults and lets after they are declared', () => {
    expect(codes(`family f(k, w = 2 * k) { let d = w + 1\n input 3x8x8\n dense layers [d] growth k }\nmodel m = f(4)`)).toEqual([]);
    expect(codes(model('input 3x8x8', 'dense layers [d] growth 4', 'let d = 1'))).toEqual(['D0301']);
  });
});

describe('arguments', () => {
  const fam = 'family f(a, b = 2) { input 3x8x8\n dense layers [a] growth b }\n';
  it('binds positional and named arguments', () => {
    expect(codes(`${fam}model m = f(1, b = 3)`)).toEqual([]);
  });
  it.each([
    ['f()', 'D0305'],
    ['f(1, c = 3)', 'D0306'],
    ['f(1, a = 2)', 'D0307'],
    ['f(1, 2, 3)', 'D0308'],
    ['f(b = 1, 2)', 'D0309'],
    ['g(1)', 'D0302'],
  ])('rejects %s with %s', (call, code) => {
    expect(codes(`${fam}model m = ${call}`).filter((c) => c !== 'D0310')).toEqual([code]);
  });
});

describe('structure', () => {
  it('rejects a body without input (D0416), input not first (D0417), no block (D0418), transition first (D0420)', () => {
    expect(codes(model('dense layers [1] growth 4'))).toEqual(['D0416']);
    expect(codes(model('input 3x8x8', 'input 3x8x8', 'dense layers [1] growth 4'))).toEqual(['D0417']);
    expect(codes(model('input 3x8x8', 'linear 10'))).toEqual(['D0418']);
    expect(codes(model('input 3x8x8', 'transition', 'block 1 growth 4'))).toEqual(['D0420']);
  });
  it('lets `let` come before `input`', () => {
    expect(codes(model('let s = 8', 'input 3 x s x s', 'block 1 growth 4', 'transition'))).toEqual([]);
  });
});

describe('dims', () => {
  it('wants three input sizes and two kernel sizes (D0419)', () => {
    expect(codes(model('input 3x8', 'dense layers [1] growth 4'))).toEqual(['D0419']);
    expect(codes(model('input 3x8x8', 'maxpool 2x2x2', 'dense layers [1] growth 4'))).toEqual(['D0419']);
    expect(codes(model('input 3 x 8 x 8', 'conv 3 x 3 out 4', 'dense layers [1] growth 4'))).toEqual([]);
  });
});

describe('clauses', () => {
  it.each([
    ['conv 3x3 out 4 strid 2', 'D0404', 'strid'],
    ['conv 3x3 out 4 out 8', 'D0405', 'out'],
    ['conv 3x3 out 4 stride', 'D0406', 'stride'],
    ['conv 3x3 out 4 bias 1', 'D0407', '1'],
    ['conv 3x3 stride 1', 'D0408', 'conv'],
  ])('rejects `%s` with %s under `%s`', (stmt, code, under) => {
    const text = model('input 3x8x8', stmt, 'dense layers [1] growth 4');
    expect(codes(text)).toEqual([code]);
    expect(caret(text)).toBe(under);
  });

  it('says that `dropout` on a conv line belongs on its own line', () => {
    const [d] = check(model('input 3x8x8', 'conv 3x3 out 4 dropout 0.2', 'dense layers [1] growth 4')).diagnostics;
    expect(d.help).toContain('put `dropout` on its own line');
  });

  it('wants `dense` to have `layers` or `depth` with `blocks`, not both (D0408, D0415)', () => {
    expect(codes(model('input 3x8x8', 'dense growth 4'))).toEqual(['D0408']);
    expect(codes(model('input 3x8x8', 'dense depth 40 growth 4'))).toEqual(['D0408']);
    expect(codes(model('input 3x8x8', 'dense layers [1] depth 40 blocks 3 growth 4'))).toEqual(['D0415']);
  });
});

describe('values', () => {
  it.each([
    ['dense layers [1] growth [4] + 1', 'D0401', '[4]'],
    ['dense layers 4 growth 4', 'D0401', '4'],
    ['dense layers [1] growth 4 / (2 - 2)', 'D0402', '(2 - 2)'],
    ['dense layers [[1, 2][2]] growth 4', 'D0403', '2'],
    ['dense layers [1, 2] growth [4, 4, 4]', 'D0413', '[4, 4, 4]'],
    ['dense layers [1, 2] growth 4 compression [0.5, 0.5]', 'D0413', '[0.5, 0.5]'],
    ['dense depth 41 blocks 3 growth 4 bottleneck 16', 'D0414', '41'],
    ['dense depth 0 blocks 3 growth 4', 'D0409', '0'],
  ])('rejects `%s` with %s under `%s`', (stmt, code, under) => {
    const text = model('input 3x8x8', stmt);
    expect(codes(text)).toEqual([code]);
    expect(caret(text)).toBe(under);
  });

  it('explains the depth arithmetic and suggests depths that fit', () => {
    const [d] = check(model('input 3x8x8', 'dense depth 41 blocks 3 growth 4 bottleneck 16')).diagnostics;
    expect(d.message).toBe('depth 41 does not fit 3 blocks: (41 - 3 - 1) / (3 * 2) = 6.1667 is not a whole number of layers');
    expect(d.help).toBe('use a depth such as 40 or 46');
  });
});

describe('model rules: counts, compression, dropout', () => {
  it.each([
    ['conv 3x3 out 2.5', 'D0409'],
    ['conv 0x3 out 4', 'D0409'],
    ['conv 3x3 stride 0 out 4', 'D0409'],
    ['conv 3x3 pad -1 out 4', 'D0410'],
    ['linear 0', 'D0409'],
    ['block 0 growth 4', 'D0409'],
    ['transition compression 0', 'D0411'],
    ['transition compression 1.01', 'D0411'],
    ['dropout 1', 'D0412'],
    ['dropout -0.1', 'D0412'],
    ['block 1 growth 4 dropout 1', 'D0412'],
  ])('rejects `%s` with %s', (stmt, code) => {
    expect(codes(model('input 3x8x8', 'block 1 growth 4', stmt))).toEqual([code]);
  });

  it('accepts the edges: compression 1, dropout 0, pad 0', () => {
    expect(codes(model('input 3x8x8', 'conv 3x3 pad 0 out 4', 'block 1 growth 4 dropout 0', 'transition compression 1', 'dropout 0'))).toEqual([]);
  });

  it('points at the argument the user wrote and shows where the family used it', () => {
    const r = check('use "lib/cifar.dense"\nmodel m = densenet(depth = 40, k = 12, drop = 1)');
    const [d] = r.diagnostics;
    expect(d.code).toBe('D0412');
    expect(d.span?.file).toBe('specs/test.dense');
    expect(d.secondary.map((s) => [s.span.file, s.message])).toEqual([['specs/lib/cifar.dense', 'used here']]);
  });
});

describe('unused', () => {
  it('warns about unused constants, families and parameters (D0310) without failing', () => {
    const r = check(`const c = 1\nfamily g(k) { input 3x8x8\n block 1 growth 4 }\n${ok}`);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['D0310', 'warning', '`c` is never used'],
      ['D0310', 'warning', '`g` is never used'],
      ['D0310', 'warning', '`k` is never used'],
    ]);
    expect(r.models).toHaveLength(1);
  });

  it('does not warn about a library\'s declarations', () => {
    expect(codes('const c = 1\nfamily g(k) { input 3x8x8\n block 1 growth k }')).toEqual([]);
  });
});

describe('files', () => {
  it('reports a missing file (D0902) and a cycle (D0903) at the path', () => {
    expect(codes('use "nope.dense"')).toEqual(['D0902']);
    expect(codes('use "a.dense"', { 'specs/a.dense': 'use "test.dense"' })).toEqual(['D0903']);
  });
});

describe('claims', () => {
  const claimed = (claim: string): string => `family f() {\n  input 3 x 32 x 32\n  conv 3x3 out 16\n  dense layers [2] growth 12\n  avgpool global\n  linear 10\n}\nmodel m = f() ${claim}\n`;

  it('accepts the paper\'s names, ignoring case and spaces, for `is` and `like`', () => {
    for (const claim of ['is "DenseNet-121"', 'like "densenet-bc (L=100, k=12)"', 'is "DenseNet (L = 40, k = 12)"']) expect(codes(claimed(claim)), claim).toEqual([]);
  });

  it('rejects another name (D0430) at the claim, with the nearest name', () => {
    const text = claimed('is "DenseNet-122"');
    expect(codes(text)).toEqual(['D0430']);
    expect(caret(text)).toBe('is "DenseNet-122"');
    expect(check(text).diagnostics[0].label).toBe('did you mean "DenseNet-121"?');
  });
});
