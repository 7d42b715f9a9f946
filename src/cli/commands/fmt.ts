// `densec fmt [files...]`: prints each .dense file in its canonical form (src/format), or with
// --check reports the files that are not (a unified diff, exit 3), or with --write rewrites them
// in place (atomically, only when they change). A file with syntax errors is never formatted:
// its diagnostics are printed and the exit code is 2. Without files it reads standard input; a
// folder stands for the .dense files under it.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { append, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { sourcesOf, toJson } from '../../diagnostics/render.js';
import { SourceFile } from '../../diagnostics/source.js';
import { unifiedDiff } from '../../format/diff.js';
import { format } from '../../format/format.js';
import { Exit } from '../exit.js';
import { colorEnabled, denseFilesUnder, isDirectory, readSpec, reportDiagnostics, terminal, writeOutputs, type Terminal, unreadable } from '../io.js';
import { action, reporting, type Outcome } from '../program.js';

interface FmtOptions {
  readonly check?: boolean;
  readonly write?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

/** What happened to one file. */
interface Result {
  readonly file: string;
  readonly status: 'formatted' | 'changed' | 'error' | 'unreadable' | 'unwritable';
}

/** Diagnostics of every file, printed together at the end (one JSON document with --json). */
interface Problems {
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('fmt')
    .description('format .dense files in the canonical style (print to stdout, check, or rewrite in place)')
    .argument('[files...]', '.dense files, or folders to search for them (skipping `invalid/` folders); default: standard input')
    .addOption(new Option('--check', 'print a diff for each file that is not formatted; write nothing').conflicts('write'))
    .addOption(new Option('--write', 'rewrite files that are not formatted, in place'))
    .addHelpText(
      'after',
      '\nExit codes: 0 all formatted (or printed, or rewritten), 1 usage (or a file cannot be rewritten), 2 a file has\n' +
        'syntax errors (it is left untouched), 3 with --check: some file is not formatted, 66 a file cannot be read.',
    );
  reporting(cmd).action(action(outcome, (files: string[], options: FmtOptions) => fmt(files, options)));
}

function fmt(files: readonly string[], options: FmtOptions): number {
  const term = terminal(options);
  if (files.length === 0 && options.write) {
    term.err('error: --write needs files to rewrite; standard input is formatted to standard output');
    return Exit.usage;
  }
  const inputs = files.length === 0 ? ['-'] : files.flatMap((f) => (isDirectory(f) ? denseFilesUnder(f) : [f]));
  const problems: Problems = { diagnostics: [], sources: [] };
  const color = colorEnabled(process.stdout, options.color === false);
  const results = inputs.map((file) => one(term, file, options, problems, color));
  const sources = sourcesOf(problems.sources);
  if (term.json) {
    const diagnostics = problems.diagnostics.length > 0 ? { diagnostics: toJson(problems.diagnostics, sources) } : {};
    term.out(JSON.stringify({ files: results, ...diagnostics }, null, 2));
  } else {
    reportDiagnostics(term, problems.diagnostics, sources);
  }
  if (results.some((r) => r.status === 'unreadable')) return Exit.input;
  if (results.some((r) => r.status === 'error')) return Exit.spec;
  if (results.some((r) => r.status === 'unwritable')) return Exit.usage;
  if (options.check && results.some((r) => r.status === 'changed')) return Exit.verify;
  return Exit.ok;
}

function one(term: Terminal, file: string, options: FmtOptions, problems: Problems, color: boolean): Result {
  const name = file === '-' ? '<stdin>' : file;
  const read = file === '-' ? readStdin() : readSpec(file);
  if (typeof read !== 'string') {
    problems.diagnostics.push(unreadable(name, read?.unreadable));
    return { file: name, status: 'unreadable' };
  }
  const text = read;
  const source = new SourceFile(name, text);
  const formatted = format(source);
  if (formatted.text === undefined) {
    append(problems.diagnostics, formatted.diagnostics);
    problems.sources.push(source);
    return { file: name, status: 'error' };
  }
  const changed = formatted.text !== text;
  if (options.check) {
    if (changed && !term.json) term.out(colourDiff(unifiedDiff(text, formatted.text, { from: name, to: `${name} (formatted)` }), color));
  } else if (options.write) {
    if (changed) {
      const failed = writeOutputs([{ path: file, data: formatted.text }], { inPlace: true });
      if (failed) {
        problems.diagnostics.push(failed);
        return { file: name, status: 'unwritable' };
      }
      if (!term.quiet && !term.json) term.err(`formatted ${name}`);
    }
  } else if (!term.json) {
    process.stdout.write(formatted.text);
  }
  return { file: name, status: changed ? 'changed' : 'formatted' };
}

function colourDiff(diff: string, color: boolean): string {
  if (!color) return diff;
  const c = pc.createColors(true);
  return diff
    .split('\n')
    .map((l) => (l.startsWith('@@') ? c.cyan(l) : l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l))
    .join('\n');
}

function readStdin(): string | undefined {
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return undefined;
  }
}
