// Shared pieces for command modules: the exit-code-returning action wrapper, and the options that
// several commands take, defined once so that their flags, parsers and wording cannot drift apart.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OptLevel } from '../passes/pipeline.js';
import { Exit } from './exit.js';
import { limitOf, type Limit } from './limits.js';
import { grouped } from '../diagnostics/grouped.js';

export interface Outcome {
  code: number;
}

/**
 * Wraps a command's action so that it returns an exit code instead of calling process.exit.
 * An exception here is a bug in densec: it is reported as such, with exit code 70.
 */
export function action<A extends unknown[]>(outcome: Outcome, fn: (...args: A) => Promise<number> | number) {
  return async (...args: A): Promise<void> => {
    try {
      outcome.code = await fn(...args);
    } catch (e) {
      reportInternalError(e);
      outcome.code = Exit.internal;
    }
  };
}

/** A bug in densec: the one place a stack trace is printed, because it is for the bug report. */
export function reportInternalError(e: unknown): void {
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`internal error: densec failed unexpectedly; please report this with the command you ran\n${detail}\n`);
}

/** --json, --quiet and --no-color, for every command that reports. */
export function reporting(cmd: Command): Command {
  return cmd
    .addOption(new Option('--json', 'print the result (and any diagnostics) as JSON on stdout'))
    .addOption(new Option('-q, --quiet', 'print only the result and errors: no warnings, notes or progress'))
    .addOption(new Option('--no-color', 'no colour, even on a terminal (NO_COLOR=1 works too)'));
}

/** -O, --opt-level <n>: the same flag, parser and wording in every command that optimizes. */
export function optLevelOption(): Option {
  return new Option('-O, --opt-level <n>', 'optimization level: 0 lowering only, 1 exact folds, 2 everything').default(2).argParser(optLevel);
}

/** --model <name>: one model of a file that declares several. */
export function modelOption(defaultText = 'every model in the file'): Option {
  return new Option('--model <name>', `only the model of this name (default: ${defaultText})`);
}

export function optLevel(value: string): OptLevel {
  if (!/^[012]$/.test(value)) throw new InvalidArgumentError('the optimization level is 0, 1 or 2');
  return Number(value) as OptLevel;
}

/** A parser for options that take a whole number from `min`, at most `max`'s value when given. */
export function wholeNumber(flag: string, min = 0, max?: Limit) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${flag} must be a whole number${min > 0 ? ` from ${min}` : ''}`);
    if (max && Number(value) > limitOf(max)) throw new InvalidArgumentError(`${flag} is at most ${grouped(limitOf(max))} ${max.what} (raise it with ${max.env})`);
    return Number(value);
  };
}

/** A file that cannot be read (spec, weights, image or model): exit 66, whatever its kind. */
const unreadableCodes: ReadonlySet<string> = new Set(['D0901', 'D0709', 'D0754', 'D0632']);

/**
 * The exit code for a failed compile: a file without models, an unknown `--model` or an
 * ambiguous choice is about the command line (1); anything else is an error in the spec (2).
 */
export function failureExit(diagnostics: readonly Diagnostic[]): number {
  const usage = diagnostics.some((d) => d.code === 'D0602' || d.code === 'D0603' || d.code === 'D0604');
  if (usage) return Exit.usage;
  return diagnostics.some((d) => unreadableCodes.has(d.code)) ? Exit.input : Exit.spec;
}

export interface Registrar {
  (program: Command, outcome: Outcome): void;
}
