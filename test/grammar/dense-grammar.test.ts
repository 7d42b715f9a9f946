// The editor grammar (grammar/dense.tmLanguage.json) colours .dense files as a reader expects:
// keywords, numbers and dims literals, names, strings and comments, checked token by token on
// the specs in specs/ and on snippets for what the specs do not show.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scopeAt, scopeOf, tokenize, type Token } from './tokenize.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const specFiles = ['specs', 'specs/lib'].flatMap((dir) =>
  fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.dense')).map((f) => `${dir}/${f}`),
);

async function scopes(text: string) {
  const tokens = await tokenize(text);
  return (lineContaining: string, word: string, occurrence = 0) => scopeOf(tokens, text, lineContaining, word, occurrence);
}

describe('the grammar file', () => {
  it('is the source.dense grammar for .dense files', () => {
    const g = JSON.parse(read('grammar/dense.tmLanguage.json'));
    expect(g.scopeName).toBe('source.dense');
    expect(g.fileTypes).toEqual(['dense']);
  });

  it('has a language configuration with `#` line comments and bracket pairs', () => {
    const c = JSON.parse(read('grammar/language-configuration.json'));
    expect(c.comments).toEqual({ lineComment: '#' });
    expect(c.brackets).toEqual([['{', '}'], ['[', ']'], ['(', ')']]);
    expect(c.autoClosingPairs.map((p: { open: string }) => p.open)).toEqual(['{', '[', '(', '"']);
  });
});

describe.each(specFiles)('%s', (file) => {
  it('gives every non-blank token a specific scope', async () => {
    const tokens = await tokenize(read(file));
    const bare = tokens.filter((t: Token) => t.text.trim() !== '' && t.scopes.every((s) => s === 'source.dense' || s.startsWith('meta.')));
    expect(bare.map((t) => `${t.line + 1}:${t.start + 1} ${t.text}`)).toEqual([]);
  });

  it('scopes whole comment lines as comments, whatever words they contain', async () => {
    const text = read(file);
    const tokens = await tokenize(text);
    text.split('\n').forEach((line, i) => {
      const hash = line.indexOf('#');
      if (hash < 0) return;
      for (const t of tokens.filter((t) => t.line === i && t.start >= hash)) {
        expect(t.scopes).toContain('comment.line.number-sign.dense');
      }
    });
  });
});

describe('specs/lib/imagenet.dense', async () => {
  const text = read('specs/lib/imagenet.dense');
  const at = await scopes(text);

  it('scopes declarations: const, family, parameters and defaults', () => {
    expect(at('const theta', 'const')).toBe('keyword.declaration.const.dense');
    expect(at('const theta', 'theta')).toBe('variable.other.constant.dense');
    expect(at('const theta', '0.5')).toBe('constant.numeric.decimal.dense');
    expect(at('family imagenet', 'family')).toBe('keyword.declaration.family.dense');
    expect(at('family imagenet', 'imagenet')).toBe('entity.name.function.family.dense');
    expect(at('family imagenet', 'blocks')).toBe('variable.parameter.dense');
    expect(at('family imagenet', 'stem')).toBe('variable.parameter.dense');
    expect(at('family imagenet', 'k', 1)).toBe('variable.other.dense'); // `stem = 2 * k`: a use, not a parameter
    expect(at('family imagenet', '32')).toBe('constant.numeric.integer.dense');
    expect(at('family imagenet', '=')).toBe('keyword.operator.assignment.dense');
  });

  it('scopes statements: layer keywords, clause words, dims and values', () => {
    expect(at('input 3', 'input')).toBe('keyword.other.layer.dense');
    expect(at('input 3', 'x')).toBe('keyword.operator.dims.dense');
    expect(at('input 3', 'size')).toBe('variable.other.dense');
    expect(at('conv 7x7', 'conv')).toBe('keyword.other.layer.dense');
    expect(at('conv 7x7', '7x7')).toBe('constant.numeric.dims.dense');
    expect(at('conv 7x7', 'stride')).toBe('keyword.other.clause.dense');
    expect(at('conv 7x7', 'out')).toBe('keyword.other.clause.dense');
    expect(at('conv 7x7', 'stem')).toBe('variable.other.dense');
    expect(at('maxpool 3x3', 'maxpool')).toBe('keyword.other.layer.dense');
    expect(at('avgpool global', 'global')).toBe('keyword.other.clause.dense');
    expect(at('linear classes', 'classes')).toBe('variable.other.dense');
  });

  it('reads `layers blocks` as a clause word and a name', () => {
    expect(at('dense layers', 'dense')).toBe('keyword.other.layer.dense');
    expect(at('dense layers', 'layers')).toBe('keyword.other.clause.dense');
    expect(at('dense layers', 'blocks')).toBe('variable.other.dense');
    expect(at('dense layers', 'bottleneck')).toBe('keyword.other.clause.dense');
    expect(at('dense layers', '*')).toBe('keyword.operator.arithmetic.dense');
    expect(at('dense layers', 'theta')).toBe('variable.other.dense');
  });

  it('scopes trailing comments and braces', () => {
    expect(at('conv 7x7', '#')).toBe('punctuation.definition.comment.dense');
    expect(at('conv 7x7', 'convolution')).toBe('comment.line.number-sign.dense');
    expect(at('family imagenet', '{')).toBe('punctuation.section.block.begin.dense');
  });
});

describe('specs/lib/cifar.dense', async () => {
  const at = await scopes(read('specs/lib/cifar.dense'));

  it('reads `depth depth blocks 3` as clause, name, clause, number', () => {
    const line = 'dense depth depth blocks 3 growth k compression 1';
    expect(at(line, 'depth', 0)).toBe('keyword.other.clause.dense');
    expect(at(line, 'depth', 1)).toBe('variable.other.dense');
    expect(at(line, 'blocks')).toBe('keyword.other.clause.dense');
    expect(at(line, '3')).toBe('constant.numeric.integer.dense');
  });

  it('reads a trailing `dropout drop` as a clause, not a statement', () => {
    expect(at('dense depth depth blocks 3 growth k compression 1', 'dropout')).toBe('keyword.other.clause.dense');
    expect(at('dense depth depth blocks 3 growth k compression 1', 'drop')).toBe('variable.other.dense');
  });
});

describe('specs/cifar.dense', async () => {
  const at = await scopes(read('specs/cifar.dense'));

  it('scopes `use` and its path', () => {
    expect(at('use', 'use')).toBe('keyword.control.import.dense');
    expect(at('use', 'lib')).toBe('string.quoted.double.dense');
  });

  it('scopes a model: its name, the family called, argument names and the claim', () => {
    const line = 'model densenet_bc_100_12';
    expect(at(line, 'model')).toBe('keyword.declaration.model.dense');
    expect(at(line, 'densenet_bc_100_12')).toBe('entity.name.type.model.dense');
    expect(at(line, 'densenet_bc')).toBe('entity.name.function.call.dense');
    expect(at(line, 'depth')).toBe('variable.parameter.dense');
    expect(at(line, '100')).toBe('constant.numeric.integer.dense');
    expect(at(line, 'is')).toBe('keyword.other.claim.dense');
    expect(at(line, 'DenseNet')).toBe('string.quoted.double.dense');
  });
});

describe('specs/blog-variant.dense', async () => {
  const at = await scopes(read('specs/blog-variant.dense'));

  it('scopes `bias`, list arguments and `like`', () => {
    expect(at('out 2 * k bias', 'bias')).toBe('keyword.other.clause.dense');
    expect(at('model blog_densenet121', '[')).toBe('punctuation.section.brackets.begin.dense');
    expect(at('model blog_densenet121', '24')).toBe('constant.numeric.integer.dense');
    expect(at('model blog_densenet121', ',', 1)).toBe('punctuation.separator.comma.dense');
    expect(at('model blog_densenet121', 'like')).toBe('keyword.other.claim.dense');
  });
});

describe('snippets', () => {
  it('scopes a model with a body, `let`, indexing, unary minus and a `dropout` statement', async () => {
    const text = [
      'model tiny {',
      '  let widths = [16, 32]',
      '  input 3 x 32 x 32',
      '  conv 3x3 out widths[1] - -1',
      '  block 4 growth 12 dropout 0.2',
      '  transition compression 0.5',
      '  dropout 0.25',
      '}',
    ].join('\n');
    const at = await scopes(text);
    expect(at('model tiny', 'tiny')).toBe('entity.name.type.model.dense');
    expect(at('let widths', 'let')).toBe('keyword.declaration.let.dense');
    expect(at('let widths', 'widths')).toBe('variable.other.local.dense');
    expect(at('conv 3x3', 'widths')).toBe('variable.other.dense');
    expect(at('conv 3x3', '[')).toBe('punctuation.section.brackets.begin.dense');
    expect(at('block 4', 'block')).toBe('keyword.other.layer.dense');
    expect(at('block 4', 'dropout')).toBe('keyword.other.clause.dense');
    expect(at('transition', 'transition')).toBe('keyword.other.layer.dense');
    expect(at('dropout 0.25', 'dropout')).toBe('keyword.other.layer.dense');
    expect(at('dropout 0.25', '0.25')).toBe('constant.numeric.decimal.dense');
  });

  it('reads clause words used as names after an operator or in a list', async () => {
    const at = await scopes('  dense layers [blocks, depth] growth 2 * growth');
    expect(at('dense', 'blocks')).toBe('variable.other.dense');
    expect(at('dense', 'depth')).toBe('variable.other.dense');
    expect(at('dense', 'growth', 0)).toBe('keyword.other.clause.dense');
    expect(at('dense', 'growth', 1)).toBe('variable.other.dense');
  });

  it('keeps parameter names apart across a multi-line parameter list', async () => {
    const tokens = await tokenize('family f(\n  a,\n  b = a + 1, # width\n) {\n}');
    expect(scopeAt(tokens, 1, 2)).toBe('variable.parameter.dense');
    expect(scopeAt(tokens, 2, 2)).toBe('variable.parameter.dense');
    expect(scopeAt(tokens, 2, 6)).toBe('variable.other.dense');
    expect(scopeAt(tokens, 2, 14)).toBe('comment.line.number-sign.dense');
    expect(scopeAt(tokens, 3, 2)).toBe('punctuation.section.block.begin.dense');
  });

  it('ends an unterminated string at the end of its line', async () => {
    const tokens = await tokenize('use "lib/a.dense\nconst x = 1');
    expect(scopeAt(tokens, 1, 0)).toBe('keyword.declaration.const.dense');
  });
});
