// Files and terminal output for the CLI: the only code (with cli/commands) that does I/O.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOutputs, type Data } from './write.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderText, toJson, type JsonDiagnostic, type Sources } from '../diagnostics/render.js';
import { Exit } from './exit.js';

export interface Terminal {
  readonly color: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function colorEnabled(stream: NodeJS.WriteStream, noColorFlag: boolean): boolean {
  if (noColorFlag || process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function terminal(options: { json?: boolean; quiet?: boolean; color?: boolean }): Terminal {
  return {
    color: colorEnabled(process.stderr, options.color === false),
    json: Boolean(options.json),
    quiet: Boolean(options.quiet),
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  };
}

/** Prints diagnostics to stderr as text, or to stdout as JSON with --json. */
export function reportDiagnostics(term: Terminal, diagnostics: readonly Diagnostic[], sources: Sources): void {
  if (diagnostics.length === 0) return;
  if (term.json) term.out(JSON.stringify({ diagnostics: toJson(diagnostics, sources) }, null, 2));
  else term.err(renderText(diagnostics, sources, { color: term.color }));
}

export { readFileOrUndefined, readInput, readSpec, readUse, type Unreadable } from './read.js';
export { writeFileAtomic, writeOutputs, type Data, type Output } from './write.js';


/**
 * Writes an output file the user named (src/cli/write.ts: atomically, never over an input or a
 * non-regular file); when it refuses or fails, reports why and returns false (the command exits 1).
 */
export function writeOutput(term: Terminal, target: string, data: Data): boolean {
  const failed = writeOutputs([{ path: target, data }]);
  if (failed) reportDiagnostics(term, [failed], () => undefined);
  return failed === undefined;
}

/** Every `.dense` file directly in `dir` (not in lib/ or invalid/), sorted. */
export function specsIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.dense'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** The diagnostic for a file that cannot be read. */
export function unreadable(file: string, reason = 'no such file, or not readable'): Diagnostic {
  return diagnostic('D0901', undefined, { path: file, reason });
}

/**
 * A runtime or provider that cannot serve the command: its diagnostic, then the runtime's own words
 * (`said` names whose) as a detail line, never those words alone; with --json, both on stdout
 * after the diagnostics reported before. Returns the exit code (4).
 */
export function runtimeUnavailable(term: Terminal, d: Diagnostic, detail: string, said: string, earlier: readonly JsonDiagnostic[] = []): number {
  if (term.json) {
    term.out(JSON.stringify({ diagnostics: [...earlier, ...toJson([d], () => undefined)], detail }, null, 2));
  } else {
    reportDiagnostics(term, [d], () => undefined);
    term.err(`  = detail: ${said} said: ${detail}`);
  }
  return Exit.runtime;
}

/** Prints diagnostics (errors only with --quiet), sorted, and returns `code` for the caller to exit with. */
export function fail(term: Terminal, diagnostics: readonly Diagnostic[], sources: Sources, code: number): number {
  const shown = term.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  reportDiagnostics(term, sortDiagnostics(shown), sources);
  return code;
}

/**
 * The `.dense` files under `dir`, recursively, sorted. Folders named `invalid` are skipped: by
 * convention (specs/invalid/) they hold deliberately broken specs, one per diagnostic.
 */
export function denseFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'invalid') out.push(...denseFilesUnder(full));
    else if (e.isFile() && e.name.endsWith('.dense')) out.push(full);
  }
  return out.sort();
}

export function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The specs/ folder of the densec install that runs (the zoo): the nearest one above this module. */
export function packagedSpecs(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'specs', 'densenet121.dense')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'specs');
}
