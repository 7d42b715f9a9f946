// `densec lsp` driven by a real LSP client over stdio (client.ts): the figures and diagnostics it
// shows are compared with the CLI's own (`inspect --json`, `fmt`), not with numbers written here.
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  ReferencesRequest,
  type CompletionItem,
  type InlayHint,
  type MarkupContent,
  type Position,
} from 'vscode-languageserver-protocol/node';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { densec, densecWith, root } from '../e2e/cli.js';
import { startClient, uriOf, type Client } from './client.js';

let client: Client;
beforeAll(async () => {
  client = await startClient();
});
afterAll(async () => {
  if (client.child.exitCode === null) client.child.kill();
});

const lines = (file: string): string[] => fs.readFileSync(path.join(root, file), 'utf8').split('\n');
/** The position of the first occurrence of `word` on the first line containing `line`. */
function at(file: string, line: string, word = line, delta = 0): Position {
  const all = lines(file);
  const n = all.findIndex((l) => l.includes(line));
  if (n < 0) throw new Error(`no line with ${line} in ${file}`);
  return { line: n, character: all[n].indexOf(word) + delta };
}
const labelOf = (h: InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
const hoverText = async (uri: string, position: Position): Promise<string> => {
  const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  return (h?.contents as MarkupContent | undefined)?.value ?? '';
};

describe('diagnostics', () => {
  test('an error is published with the CLI code, message and range, and cleared by the fix', async () => {
    const file = 'specs/invalid/compression-range.dense';
    const cli = JSON.parse(densec('inspect', file, '--json').stdout).diagnostics;
    const uri = await client.open(file);
    const published = await client.diagnostics(uri);
    expect(published.map((d) => ({ code: d.code, message: d.message, start: d.range.start, end: d.range.end }))).toEqual(
      cli.map((d: { code: string; message: string; line: number; column: number; endLine: number; endColumn: number }) => ({
        code: d.code,
        message: d.message,
        start: { line: d.line - 1, character: d.column - 1 },
        end: { line: d.endLine - 1, character: d.endColumn - 1 },
      })),
    );
    expect(published[0].code).toBe('D0411');
    const fixed = fs.readFileSync(path.join(root, file), 'utf8').replace('compression 1.5', 'compression 0.5');
    await client.change(uri, 2, fixed);
    expect(await client.diagnostics(uri, (d) => d.length === 0)).toEqual([]);
  });

  test('an error found in a used file is published for that file too', async () => {
    await client.open('specs/invalid/several-errors.dense');
    const lib = await client.diagnostics(uriOf('specs/lib/imagenet.dense'), (d) => d.length > 0);
    const cli = JSON.parse(densec('inspect', 'specs/invalid/several-errors.dense', '--json').stdout).diagnostics;
    const inLib = cli.filter((d: { file: string }) => d.file.endsWith('lib/imagenet.dense'));
    expect(lib.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1])).toEqual(inLib.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column]));
  });
});

describe('Table 1 beside densenet121', () => {
  const lib = 'specs/lib/imagenet.dense';
  let hints: InlayHint[];
  type Row = { name: string; shape: number[]; params: number; macs: number };
  let inspect: { params: { learnable: number }; stages: Array<Row & { layers: Row[] }> };
  beforeAll(async () => {
    inspect = JSON.parse(densec('inspect', 'specs/densenet121.dense', '--depth', '2', '--json').stdout);
    await client.open('specs/densenet121.dense');
    const end = { line: lines(lib).length, character: 0 };
    hints = (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: uriOf(lib) }, range: { start: { line: 0, character: 0 }, end } })) ?? [];
  });
  const hintOn = (line: string): string[] => hints.filter((h) => h.position.line === at(lib, line).line).map(labelOf);

  test('each statement shows its output size, as inspect --json gives each stage', () => {
    const shape = (name: string) => inspect.stages.find((s) => s.name === name)!.shape.join(' x ');
    expect(hintOn('conv 7x7')).toEqual([shape('convolution')]);
    expect(hintOn('maxpool 3x3')).toEqual([shape('pooling')]);
    expect(hintOn('maxpool 3x3')).toEqual(['64 x 56 x 56']);
    expect(hintOn('softmax')).toEqual([shape('classification')]);
  });

  test('the dense line shows every block and transition with its parameters and MACs', () => {
    const [dense] = hintOn('dense layers');
    const blocks = inspect.stages.filter((s) => /^(dense_block|transition)_/.test(s.name));
    expect(blocks).toHaveLength(7);
    for (const s of blocks) {
      const short = s.name.replace(/^dense_block_/, 'B').replace(/^transition_/, 'T');
      expect(dense).toContain(`${short} ${s.shape.join(' x ')} · ${s.params.toLocaleString('en-US')} params`);
    }
    const parts = hints.find((h) => h.position.line === at(lib, 'dense layers').line)!.label as Array<{ tooltip: string }>;
    for (const s of blocks) expect(parts.map((p) => p.tooltip).join('\n')).toContain(`${s.params.toLocaleString('en-US')} parameters, ${s.macs.toLocaleString('en-US')} MACs`);
  });

  test('the family names the model its figures are from, and the model line its totals', async () => {
    expect(hintOn('family imagenet')).toEqual(['figures of `densenet121`']);
    const own = await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: uriOf('specs/densenet121.dense') }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
    expect(own!.map(labelOf)).toEqual([expect.stringContaining(`${inspect.params.learnable.toLocaleString('en-US')} params`)]);
  });

  test('hover: a statement, a name and its value, a model, a claim', async () => {
    expect(await hoverText(uriOf(lib), at(lib, 'maxpool 3x3'))).toContain('**64 x 56 x 56** · 0 params');
    const conv0 = inspect.stages[0].layers.find((l) => l.name === 'features.conv0')!;
    const conv = await hoverText(uriOf(lib), at(lib, 'conv 7x7'));
    expect(conv).toContain(`**${conv0.shape.join(' x ')}** · ${conv0.params.toLocaleString('en-US')} params`);
    expect(conv).toContain(`${conv0.macs.toLocaleString('en-US')} MACs`);
    const theta = await hoverText(uriOf(lib), at(lib, 'compression theta', 'theta'));
    expect(theta).toContain('const theta = 0.5');
    expect(theta).toContain('= **0.5**');
    expect(await hoverText(uriOf(lib), at(lib, 'growth k', 'k bottleneck'))).toContain('= **32** in `densenet121`');
    expect(await hoverText(uriOf(lib), at(lib, 'growth k', 'blocks'))).toContain('= **[6, 12, 24, 16]** in `densenet121`');
    const file = 'specs/densenet121.dense';
    const model = await hoverText(uriOf(file), at(file, 'model densenet121', 'densenet121'));
    expect(model).toContain('| Pooling | 64 x 56 x 56 | 0 | 0 |');
    expect(model).toContain(`${inspect.params.learnable.toLocaleString('en-US')} learnable parameters`);
    const claim = await hoverText(uriOf(file), at(file, '"DenseNet-121"', 'DenseNet'));
    expect(claim).toContain('**DenseNet-121** (Table 1)');
    expect(claim).toContain('blocks [6, 12, 24, 16]');
  });

  test('definition and references', async () => {
    const file = 'specs/densenet121.dense';
    const family = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(file) }, position: at(file, 'imagenet(', 'imagenet', 2) });
    expect(family).toEqual({ uri: uriOf(lib), range: { start: at(lib, 'family imagenet', 'imagenet'), end: at(lib, 'family imagenet', 'imagenet', 'imagenet'.length) } });
    const use = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(file) }, position: at(file, 'use', 'lib', 1) });
    expect(use).toMatchObject({ uri: uriOf(lib) });
    const theta = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(lib) }, position: at(lib, 'compression theta', 'theta') });
    expect(theta).toMatchObject({ range: { start: at(lib, 'const theta', 'theta') } });
    const refs = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: uriOf(lib) }, position: at(lib, 'family imagenet', 'k = 32'), context: { includeDeclaration: false } });
    // `k` in `stem = 2 * k`, `growth k` and `4 * k`; and `k = 0` in an open spec that calls it.
    const inLib = refs!.filter((r) => r.uri === uriOf(lib)).map((r) => r.range.start.line);
    expect(inLib.sort((a, b) => a - b)).toEqual([at(lib, 'family imagenet').line, at(lib, 'dense layers').line, at(lib, 'dense layers').line]);
    const several = 'specs/invalid/several-errors.dense';
    expect(refs!.filter((r) => r.uri === uriOf(several)).map((r) => r.range.start)).toEqual([at(several, 'k = 0', 'k = 0')]);
  });
});

describe('editing', () => {
  test('completion: family parameters with defaults, statements, clauses', async () => {
    const text = 'use "lib/imagenet.dense"\n\nmodel m = imagenet(\n\nmodel t {\n  input 3 x 32 x 32\n  conv 3x3 \n  \n}\n';
    const uri = await client.open('specs/completion-scratch.dense', text);
    const complete = async (line: number, character: number): Promise<CompletionItem[]> => {
      const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } });
      return Array.isArray(r) ? r : (r?.items ?? []);
    };
    const params = await complete(2, 'model m = imagenet('.length);
    expect(params.map((i) => [i.label, i.detail])).toEqual([['blocks', 'required'], ['k', '= 32'], ['stem', '= 2 * k'], ['classes', '= 1000'], ['size', '= 224']]);
    expect((await complete(6, '  conv 3x3 '.length)).map((i) => i.label)).toEqual(expect.arrayContaining(['stride', 'pad', 'out', 'bias']));
    const statements = (await complete(7, 2)).map((i) => i.label);
    expect(statements).toEqual(expect.arrayContaining(['conv', 'dense', 'transition', 'let']));
    expect(statements).not.toContain('family');
    expect((await complete(1, 0)).map((i) => i.label)).toEqual(['use', 'const', 'family', 'model']);
  });

  test('formatting gives what densec fmt prints', async () => {
    const text = 'const   a = 2*3\nmodel m {\ninput 3 x 32 x 32\n    conv 3x3 out a\n}\n';
    const uri = await client.open('specs/format-scratch.dense', text);
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits![0].newText).toBe(densecWith(['fmt'], { input: text }).stdout);
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    expect(symbols!.map((s) => s.name)).toEqual(['a', 'm']);
  });

  test('text that does not parse and malformed requests leave the server running', async () => {
    const uri = await client.open('specs/broken-scratch.dense', 'model = {{{ "\nfamily f(');
    const d = await client.diagnostics(uri, (x) => x.length > 0);
    expect(d[0].code).toMatch(/^D0[12]/);
    await expect(client.connection.sendRequest('textDocument/hover', {})).resolves.toBeNull();
    await expect(client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: 'file:///nowhere.dense' } })).resolves.toEqual([]);
    await expect(client.connection.sendRequest('densec/unknown', [1, 2])).rejects.toThrow();
    expect(await hoverText(uri, { line: 0, character: 2 })).toBe('');
    await expect(client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } } })).resolves.toEqual([]);
  });

  test('shutdown and exit end the server with code 0', async () => {
    expect(await client.stop()).toBe(0);
    expect(client.stderr()).toBe('');
  });
});
