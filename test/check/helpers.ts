// Runs analyze on inline text, with the project's specs/ readable for `use`.
import { readFileSync } from 'node:fs';
import { analyze, type Analysis } from '../../src/check/analyze.js';
import { SourceFile } from '../../src/diagnostics/source.js';

export function readSpec(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Analyzes `text` as if it were the file `specs/test.dense`. */
export function check(text: string, extra: Record<string, string> = {}): Analysis {
  return analyze(new SourceFile('specs/test.dense', text), (p) => extra[p] ?? readSpec(p));
}

/** The codes reported, in order. */
export function codes(text: string, extra: Record<string, string> = {}): string[] {
  return check(text, extra).diagnostics.map((d) => d.code);
}

/** A minimal valid model around some statements. */
export function model(...statements: string[]): string {
  return `model tiny {\n${statements.map((s) => `  ${s}`).join('\n')}\n}\n`;
}
