// The densec command line: argument parsing with commander; each command lives in commands/.
// The examples and exit codes every `--help` shows are kept here, in one table, so that command
// files stay small; test/e2e/cli.test.ts checks that every example uses only real flags.
import { Command, CommanderError } from 'commander';
import { Exit } from './exit.js';
import { reportInternalError, type Outcome, type Registrar } from './program.js';
import { version } from '../version.js';
import { register as inspect } from './commands/inspect.js';
import { register as compile } from './commands/compile.js';
import { register as verify } from './commands/verify.js';
import { register as plan } from './commands/plan.js';
import { register as run } from './commands/run.js';
import { register as graph } from './commands/graph.js';
import { register as fmt } from './commands/fmt.js';

const commands: Registrar[] = [inspect, compile, verify, plan, run, graph, fmt];

/** Examples per command; the first of each is also shown by `densec --help`. */
export const examples: Readonly<Record<string, readonly string[]>> = {
  inspect: [
    'densec inspect specs/densenet121.dense',
    'densec inspect specs/densenet121.dense --depth 2',
    'densec inspect specs/cifar.dense --model densenet_bc_100_12 --json',
  ],
  compile: [
    'densec compile specs/densenet121.dense -o out/densenet121.onnx',
    'densec compile specs/cifar.dense --out-dir out -O 1',
    'densec compile specs/densenet121.dense -o out/densenet121.onnx --explain',
  ],
  verify: [
    'densec verify specs/densenet121.dense',
    'densec verify                                    # every spec in specs/',
    'densec verify specs/cifar.dense --model densenet_40_12 --ep auto --json',
  ],
  plan: [
    'densec plan specs/densenet121.dense',
    'densec plan specs/densenet121.dense -O 0 --batch 8 --svg out/densenet121-plan.svg',
  ],
  run: [
    'densec run specs/cifar.dense --model densenet_40_12',
    'densec run specs/densenet121.dense --runtime ort --repeat 10',
  ],
  graph: [
    'densec graph specs/densenet121.dense -o out/densenet121.svg',
    'densec graph specs/cifar.dense --model densenet_40_12 --level layers -o out/densenet_40_12.html',
  ],
  fmt: [
    'densec fmt specs/densenet121.dense',
    'densec fmt --check specs/*.dense specs/lib/*.dense',
    'densec fmt --write my-model.dense',
  ],
};

export const exitCodes: readonly (readonly [number, string])[] = [
  [Exit.ok, 'ok'],
  [Exit.usage, 'usage: unknown command or option, missing argument, bad option value, unknown --model, unwritable output'],
  [Exit.spec, 'errors in the spec (diagnostics are printed), or a weights file, image or model that is not valid'],
  [Exit.verify, 'verification failed (verify), or a file is not formatted (fmt --check)'],
  [Exit.runtime, 'the runtime or execution provider asked for is not available here (verify --ep)'],
  [Exit.input, 'an input file (spec, weights, image, .onnx) is missing, unreadable, not a regular file or over its size limit'],
  [Exit.internal, 'internal error: a bug in densec (please report it)'],
];

const exampleLines = (lines: readonly string[]): string => lines.map((l) => `  $ ${l}`).join('\n');

function topLevelHelp(): string {
  const first = Object.values(examples).map((e) => e[0]);
  const codes = exitCodes.map(([code, what]) => `  ${String(code).padEnd(3)} ${what}`).join('\n');
  return `\nExamples:\n${exampleLines(first)}\n\nExit codes:\n${codes}\n\nRun \`densec <command> --help\` for a command's options and more examples.`;
}

export function program(outcome: Outcome, registrars: readonly Registrar[] = commands): Command {
  const program = new Command('densec')
    .description('Compile .dense DenseNet specs to optimized, verified ONNX graphs')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .showHelpAfterError('(run `densec --help` for usage)')
    .addHelpText('after', topLevelHelp());
  for (const register of registrars) register(program, outcome);
  for (const cmd of program.commands) {
    cmd.exitOverride().helpOption('-h, --help', 'print help');
    const lines = examples[cmd.name()];
    if (lines) cmd.addHelpText('after', `\nExamples:\n${exampleLines(lines)}`);
  }
  return program;
}

/** Runs densec with `argv` (as process.argv) and returns the exit code; never throws. */
export async function main(argv: readonly string[], registrars: readonly Registrar[] = commands): Promise<number> {
  const outcome: Outcome = { code: Exit.ok };
  try {
    await program(outcome, registrars).parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? Exit.ok : Exit.usage;
    }
    reportInternalError(e);
    return Exit.internal;
  }
  return outcome.code;
}
