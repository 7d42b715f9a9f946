// Properties of `densec fmt` on random valid programs written in random layouts (spacing, blank
// lines, comments at line ends and on their own lines): the output parses to the same tree with
// the same comments (format() checks that itself and throws otherwise), and formatting it again
// changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { format } from '../../src/format/format.js';

const name = fc.constantFrom('a', 'k', 'width', 'blocks', 'depth', 'growth', 'theta', 'n_1');
const number = fc.oneof(fc.nat(300).map(String), fc.constantFrom('0.5', '0.25', '1.0', '0.50'));
const space = fc.constantFrom(' ', '  ', '\t', ' ');
const sp = (xs: string) => xs; // readability in the builders below

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number,
    name,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e'), space).map(([l, op, r, s]) => `${l}${s}${op}${s}${r}`),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `-${e.startsWith('-') ? `(${e})` : e}`),
    fc.array(tie('e'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(name, tie('e')).map(([n, i]) => `${n}[${i}]`),
  ),
})).e;

const clause = fc.oneof(
  fc.tuple(fc.constantFrom('stride', 'pad', 'out', 'growth', 'bottleneck', 'compression', 'dropout', 'layers', 'depth', 'blocks'), expr).map(([c, e]) => `${c} ${e}`),
  fc.constant('bias'),
);
const clauses = fc.array(clause, { maxLength: 3 }).map((cs) => cs.map((c) => ` ${c}`).join(''));
const kernel = fc.oneof(fc.constantFrom('1x1', '3x3', '7x7', '2x2'), fc.tuple(expr, expr).map(([a, b]) => `${a} x ${b}`));

const statement = fc.oneof(
  fc.tuple(expr, expr, expr).map(([c, h, w]) => `input ${c} x ${h} x ${w}`),
  fc.tuple(kernel, clauses).map(([k, c]) => `conv ${k}${c}`),
  fc.tuple(fc.constantFrom('maxpool', 'avgpool'), kernel, clauses).map(([p, k, c]) => `${p} ${k}${c}`),
  fc.constantFrom('bn', 'relu', 'softmax', 'avgpool global'),
  expr.map((e) => `dropout ${e}`),
  expr.map((e) => `linear ${e}`),
  clauses.map((c) => `dense${c}`),
  fc.tuple(expr, clauses).map(([e, c]) => `block ${e}${c}`),
  clauses.map((c) => `transition${c}`),
  fc.tuple(name, expr).map(([n, e]) => `let ${n} = ${e}`),
);

const comment = fc.constantFrom('# note', '#x', '# a `dense` layer: 4k', '#');
/** A line end: nothing, or a trailing comment. */
const lineEnd = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, comment.map((c) => ` ${c}`));
/** Lines between items: blank lines and comments on lines of their own. */
const gap = fc.array(fc.oneof(fc.constant(''), comment), { maxLength: 2 }).map((xs) => xs.map((x) => `${x}\n`).join(''));

const body = fc
  .array(fc.tuple(gap, fc.constantFrom('', '  ', '    ', '\t'), statement, lineEnd), { maxLength: 5 })
  .map((xs) => xs.map(([g, indent, s, end]) => `${g}${indent}${s}${end}\n`).join(''));
const param = fc.tuple(name, fc.option(expr, { nil: undefined })).map(([n, d]) => (d === undefined ? n : `${n} = ${d}`));
const arg = fc.tuple(fc.option(name, { nil: undefined }), expr).map(([n, e]) => (n === undefined ? e : `${n} = ${e}`));
const claim = fc.option(fc.tuple(fc.constantFrom('is', 'like'), fc.constantFrom('"DenseNet-121"', '"X (L=40, k=12)"')).map(([r, p]) => ` ${r} ${p}`), { nil: '' });

const decl = fc.oneof(
  fc.constantFrom('use "lib/imagenet.dense"', 'use   "a b.dense"'),
  fc.tuple(name, expr).map(([n, e]) => `const ${n} = ${e}`),
  fc.tuple(name, fc.array(param, { maxLength: 3 }), lineEnd, body).map(([n, ps, end, b]) => `family ${sp(n)}(${ps.join(', ')}) {${end}\n${b}}`),
  fc.tuple(name, name, fc.array(arg, { maxLength: 3 }), claim).map(([m, f, as, c]) => `model ${m} = ${f}(${as.join(', ')})${c}`),
  fc.tuple(name, body, claim).map(([m, b, c]) => `model ${m} {\n${b}}${c}`),
);

const program = fc.array(fc.tuple(gap, decl, lineEnd), { maxLength: 5 }).map((ds) => ds.map(([g, d, end]) => `${g}${d}${end}\n`).join(''));

describe('formatting random programs', () => {
  it('keeps the tree and the comments, and is idempotent', () => {
    fc.assert(
      fc.property(program, (text) => {
        const once = format(new SourceFile('random.dense', text));
        expect(once.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const twice = format(new SourceFile('random.dense', once.text!));
        expect(twice.text).toBe(once.text);
        expect(once.text!.match(/#.*$/gm) ?? []).toEqual(text.match(/#.*$/gm) ?? []);
      }),
      { numRuns: 300 },
    );
  });
});
