// The densec command line: argument parsing with commander; each command lives in commands/.
// The examples and exit codes every `--help` shows are kept here, in one table, so that command
// files stay small; test/e2e/cli.test.ts checks that every example uses only real flags.
//
// Start-up time: a command's module (and with it the parser, onnx-proto, onnxruntime or
// Graphviz) is imported only when that command runs (in the bundle, initialised only then), so
// `densec --version` runs none of them and `densec inspect` only the front end. Adding a command is one line in `commands` below.
import { Command, CommanderError } from 'commander';
import { Exit } from './exit.js';
import { reportInternalError, type Outcome, type Registrar } from './program.js';
import { version } from '../version.js';

/** Every command, in `--help` order, by name: its module is imported only when it is needed. */
export const commands: Readonly<Record<string, () => Promise<{ register: Registrar }>>> = {
  inspect: () => import('./commands/inspect.js'),
  compile: () => import('./commands/compile.js'),
  verify: () => import('./commands/verify.js'),
  plan: () => import('./commands/plan.js'),
  run: () => import('./commands/run.js'),
  graph: () => import('./commands/graph.js'),
  fmt: () => import('./commands/fmt.js'),
  export: () => import('./commands/export.js'),
  lsp: () => import('./commands/lsp.js'),
  tune: () => import('./commands/tune.js'),
};

/** The registrars of the commands named (default: all), in `commands` order. */
export async function loadCommands(names: readonly string[] = Object.keys(commands)): Promise<Registrar[]> {
  const chosen = Object.keys(commands).filter((n) => names.includes(n));
  return Promise.all(chosen.map(async (n) => (await commands[n]()).register));
}

/**
 * The commands that `argv` needs: only the one it names (`densec inspect ...`, `densec help
 * inspect`), none for `--version`, and all of them otherwise (the command list of `--help`,
 * suggestions for a misspelt command).
 */
export function commandsFor(argv: readonly string[]): string[] {
  const [first, second] = argv.slice(2);
  if (first === '-V' || first === '--version') return [];
  const named = first === 'help' ? second : first;
  return named !== undefined && Object.hasOwn(commands, named) ? [named] : Object.keys(commands);
}

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
    'densec compile specs/densenet121.dense --concat none -o out/densenet121.lean.onnx',
  ],
  verify: [
    'densec verify specs/densenet121.dense',
    'densec verify                                    # every spec in specs/',
    'densec verify specs/cifar.dense --model densenet_40_12 --ep auto --json',
  ],
  plan: [
    'densec plan specs/densenet121.dense',
    'densec plan specs/densenet121.dense -O 0 --batch 8 --svg out/densenet121-plan.svg',
    'densec plan specs/densenet121.dense --no-runtime --json',
  ],
  run: [
    'densec run specs/cifar.dense --model densenet_40_12',
    'densec run specs/densenet121.dense --runtime ort --repeat 10',
  ],
  graph: [
    'densec graph specs/densenet121.dense -o out/densenet121.svg',
    'densec graph specs/cifar.dense --model densenet_40_12 --level layers -o out/densenet_40_12.html',
    'densec graph specs/densenet121.dense -O 0 --level ops -o out/densenet121-O0.svg',
    'densec graph out/densenet121.onnx -o out/densenet121-onnx.svg',
  ],
  tune: [
    'densec tune specs/densenet121.dense -o out/densenet121.tuned.onnx',
    'densec tune specs/cifar.dense --model densenet_40_12 --batch 8 --runs 10',
    'densec tune specs/densenet121.dense --runtime opencv --batch 8 -o out/densenet121.opencv.onnx',
    'densec tune specs/densenet121.dense --objective memory --batch 8 -o out/densenet121.lean.onnx',
  ],
  fmt: [
    'densec fmt specs/densenet121.dense',
    'densec fmt --check specs/*.dense specs/lib/*.dense',
    'densec fmt --write my-model.dense',
  ],
  export: [
    'densec export specs/densenet121.dense --to pytorch -o out/densenet121.py',
    'densec export specs/cifar.dense --model densenet_bc_100_12 -o out/densenet_bc_100_12.py',
  ],
  lsp: ['densec lsp                                       # started by an editor', 'densec lsp --stdio'],
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

export function program(outcome: Outcome, registrars: readonly Registrar[]): Command {
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
export async function main(argv: readonly string[], registrars?: readonly Registrar[]): Promise<number> {
  const outcome: Outcome = { code: Exit.ok };
  try {
    await program(outcome, registrars ?? (await loadCommands(commandsFor(argv)))).parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? Exit.ok : Exit.usage;
    }
    reportInternalError(e);
    return Exit.internal;
  }
  return outcome.code;
}
