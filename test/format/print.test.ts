// `densec fmt`'s printer: the specs are already in canonical form, formatting is idempotent and
// keeps every comment, and messy text comes out in the house style.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { format } from '../../src/format/format.js';

const root = path.resolve(import.meta.dirname, '../..');
const specFiles = ['specs', 'specs/lib'].flatMap((dir) =>
  fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.dense')).map((f) => `${dir}/${f}`),
);

function fmt(text: string, name = 'test.dense'): string {
  const out = format(new SourceFile(name, text));
  if (out.text === undefined) throw new Error(`syntax errors: ${out.diagnostics.map((d) => d.message).join('; ')}`);
  return out.text;
}

const lines = (...xs: string[]) => xs.join('\n') + '\n';

describe.each(specFiles)('%s', (file) => {
  const text = fs.readFileSync(path.join(root, file), 'utf8');

  it('is already formatted', () => {
    expect(fmt(text, file)).toBe(text);
  });
});

describe('the canonical style', () => {
  it('puts single spaces around operators and after commas, and none inside brackets', () => {
    expect(fmt('const  a=2*(1+3)-[1,2 ,3][0]/-(-4)')).toBe('const a = 2 * (1 + 3) - [1, 2, 3][0] / -(-4)\n');
  });

  it('keeps the parentheses that precedence needs and only those', () => {
    expect(fmt('const a = (1 - (2 - 3)) * ((4))')).toBe('const a = (1 - (2 - 3)) * 4\n');
    expect(fmt('const a = (1 * 2) + (3 / 4)')).toBe('const a = 1 * 2 + 3 / 4\n');
    expect(fmt('const a = -(1 + 2)')).toBe('const a = -(1 + 2)\n');
  });

  it('keeps numbers as written', () => {
    expect(fmt('const a = 0.50')).toBe('const a = 0.50\n');
  });

  it('writes kernels as one token and the input as `C x H x W`', () => {
    const text = lines('model m {', 'input 3x32 x 32', 'conv 3 x 3 pad 1 out 16', 'maxpool k x k', '}');
    expect(fmt(text)).toBe(lines('model m {', '  input 3 x 32 x 32', '  conv 3x3 pad 1 out 16', '  maxpool k x k', '}'));
  });

  it('indents bodies by two spaces, one statement a line, and keeps one blank line of several', () => {
    const text = lines('family f(a,b=2){', '      input 3 x 8 x 8', '', '', '', ' bn', 'avgpool   global', '}');
    expect(fmt(text)).toBe(lines('family f(a, b = 2) {', '  input 3 x 8 x 8', '', '  bn', '  avgpool global', '}'));
  });

  it('drops blank lines at the start and end of a body and of the file', () => {
    expect(fmt(lines('', '', 'model m {', '', '  bn', '', '}', '', ''))).toBe(lines('model m {', '  bn', '}'));
  });

  it('puts a blank line around multi-line declarations, above their comments', () => {
    const text = lines('const a = 1', '# the family', 'family f() {', '  bn', '}', 'model m = f()', 'model n = f()');
    expect(fmt(text)).toBe(lines('const a = 1', '', '# the family', 'family f() {', '  bn', '}', '', 'model m = f()', 'model n = f()'));
  });

  it('writes a claim after the call or after the body', () => {
    expect(fmt('model m=f( ) is   "A"')).toBe('model m = f() is "A"\n');
    expect(fmt('model m {\nbn\n}  like "B"')).toBe(lines('model m {', '  bn', '} like "B"'));
  });

  it('writes clauses in the order given, flags without values', () => {
    expect(fmt('model m {\n  conv 7x7 bias  out 64 stride 2\n}')).toBe(lines('model m {', '  conv 7x7 bias out 64 stride 2', '}'));
  });
});

describe('comments', () => {
  it('keeps every comment, in order', () => {
    const text = lines(
      '# a',
      'use "x.dense" # b',
      '# c',
      'family f(p, # d',
      '  q = 1) { # e',
      '  # f',
      '  dense layers [1, # g',
      '    2] growth 4',
      '  bn # h',
      '  # i',
      '}',
      '# j',
    );
    const out = fmt(text);
    expect(out.match(/# [a-j]/g)).toEqual(['# a', '# b', '# c', '# d', '# e', '# f', '# g', '# h', '# i', '# j']);
  });

  it('keeps a trailing comment on its line, at its column when there is room', () => {
    const text = lines('model m {', '  conv 3x3 out 8     # aligned', '  bn                # here', '  relu#tight', '}');
    expect(fmt(text)).toBe(lines('model m {', '  conv 3x3 out 8     # aligned', '  bn                # here', '  relu  #tight', '}'));
  });

  it('moves a trailing comment right when the code grows past it', () => {
    expect(fmt('const a=1+2 # sum')).toBe('const a = 1 + 2  # sum\n');
  });

  it('puts a comment on its own line before the next statement, or at the end of the body', () => {
    const text = lines('model m {', '# before bn', '  bn', '    # at the end', '}');
    expect(fmt(text)).toBe(lines('model m {', '  # before bn', '  bn', '  # at the end', '}'));
  });

  it('prints a parameter list with comments one parameter a line', () => {
    const text = lines('family f(a, # width', '  # the depth', '  b = 2) {', '  bn', '}');
    // `# width` keeps its column (12): there is room for it after `  a,`.
    expect(fmt(text)).toBe(lines('family f(', '  a,        # width', '  # the depth', '  b = 2', ') {', '  bn', '}'));
  });

  it('moves a comment inside a statement (a list over lines) before the statement', () => {
    const text = lines('model m {', '  dense layers [6, # first', '    12] growth 32', '}');
    expect(fmt(text)).toBe(lines('model m {', '  # first', '  dense layers [6, 12] growth 32', '}'));
  });

  it('keeps a comment after an opening brace on that line', () => {
    expect(fmt(lines('model m { # tiny', '  bn', '}'))).toBe(lines('model m {  # tiny', '  bn', '}'));
  });
});

describe('format', () => {
  it('refuses text with syntax errors, returning their diagnostics', () => {
    const out = format(new SourceFile('bad.dense', 'model m = f(\n'));
    expect(out.text).toBeUndefined();
    expect(out.diagnostics.length).toBeGreaterThan(0);
    expect(out.diagnostics[0].code).toMatch(/^D0[12]/);
  });

  it('leaves an empty file empty', () => {
    expect(fmt('')).toBe('');
    expect(fmt('\n\n  \n')).toBe('');
  });

  it('turns CRLF line ends into LF and ends the file with one newline', () => {
    expect(fmt('const a = 1\r\nconst b = 2')).toBe('const a = 1\nconst b = 2\n');
  });
});
