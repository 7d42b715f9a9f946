// Test helper: tokenizes .dense text with the editor grammar, as VS Code does (vscode-textmate
// with the Oniguruma regex engine compiled to WebAssembly).
import fs from 'node:fs';
import path from 'node:path';
import vsctm from 'vscode-textmate';
import onig from 'vscode-oniguruma';

const root = path.resolve(import.meta.dirname, '../..');
export const grammarPath = path.join(root, 'grammar/dense.tmLanguage.json');

export interface Token {
  /** 0-based line. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammar: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammar ??= (async () => {
    const wasm = fs.readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new onig.OnigScanner(sources),
        createOnigString: (s: string) => new onig.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.dense'
          ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
          : null,
    });
    const g = await registry.loadGrammar('source.dense');
    if (!g) throw new Error('grammar source.dense did not load');
    return g;
  })();
  return grammar;
}

export async function tokenize(text: string): Promise<Token[]> {
  const g = await loadGrammar();
  const tokens: Token[] = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const result = g.tokenizeLine(lineText, stack);
    for (const t of result.tokens) {
      tokens.push({ line, start: t.startIndex, end: t.endIndex, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = result.ruleStack;
  });
  return tokens;
}

/** The innermost scope of the token that covers `column` (0-based) on `line` (0-based). */
export function scopeAt(tokens: readonly Token[], line: number, column: number): string {
  const t = tokens.find((t) => t.line === line && t.start <= column && column < t.end);
  if (!t) throw new Error(`no token at ${line}:${column}`);
  return t.scopes[t.scopes.length - 1];
}

/**
 * The innermost scope of the `occurrence`-th (0-based) appearance of `word` (as a whole word when it is one) on
 * the first line that contains `lineContaining`.
 */
export function scopeOf(tokens: readonly Token[], text: string, lineContaining: string, word: string, occurrence = 0): string {
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(lineContaining));
  if (line < 0) throw new Error(`no line contains ${JSON.stringify(lineContaining)}`);
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = /^\w/.test(word) ? '(?<![A-Za-z0-9_.])' : '';
  const after = /\w$/.test(word) ? '(?![A-Za-z0-9_])' : '';
  const re = new RegExp(before + escaped + after, 'g');
  const matches = [...lines[line].matchAll(re)];
  if (matches.length <= occurrence) throw new Error(`${JSON.stringify(word)} #${occurrence} not on line ${line + 1}: ${lines[line]}`);
  return scopeAt(tokens, line, matches[occurrence].index!);
}
