// The densec command line: argument parsing with commander; each command lives in commands/.
import { Command, CommanderError } from 'commander';
import { Exit } from './exit.js';
import type { Outcome, Registrar } from './program.js';
import { version } from '../version.js';
import { register as inspect } from './commands/inspect.js';
import { register as compile } from './commands/compile.js';
import { register as verify } from './commands/verify.js';
import { register as plan } from './commands/plan.js';
import { register as run } from './commands/run.js';
import { register as graph } from './commands/graph.js';
import { register as fmt } from './commands/fmt.js';

const commands: Registrar[] = [inspect, compile, verify, plan, run, graph, fmt];

export async function main(argv: readonly string[]): Promise<number> {
  const outcome: Outcome = { code: Exit.ok };
  const program = new Command('densec')
    .description('Compile .dense DenseNet specs to optimized, verified ONNX graphs')
    .version(version, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run `densec --help` for usage)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 usage, 2 errors in the spec, 3 verification failed, 4 runtime unavailable.');
  for (const register of commands) register(program, outcome);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? Exit.ok : Exit.usage;
    }
    throw e;
  }
  return outcome.code;
}
