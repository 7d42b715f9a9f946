// Shared pieces for command modules: the exit-code-returning action wrapper and common options.
import { Command, Option } from 'commander';
import { Exit } from './exit.js';

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
      const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.stderr.write(`internal error: densec failed unexpectedly; please report this\n${detail}\n`);
      outcome.code = Exit.internal;
    }
  };
}

/** --json, --quiet and --no-color, for every command that reports. */
export function reporting(cmd: Command): Command {
  return cmd
    .addOption(new Option('--json', 'print the result as JSON on stdout'))
    .addOption(new Option('-q, --quiet', 'print only errors'))
    .addOption(new Option('--no-color', 'no colour, even on a terminal (NO_COLOR works too)'));
}

export interface Registrar {
  (program: Command, outcome: Outcome): void;
}
