// `densec lsp`: the language server (src/lsp) over standard input and output, for editors.
// The server and vscode-languageserver load only when this command runs. The connection library
// ends the process itself on the `exit` notification or when standard input closes.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { readFileOrUndefined } from '../io.js';
import { action, reporting, type Outcome } from '../program.js';

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('lsp')
    .description('run the language server (LSP over stdio): diagnostics, shapes and counts as you type')
    .addOption(new Option('--stdio', 'talk over standard input and output (the only transport; editors pass it)'));
  // The shared reporting flags are accepted for uniformity; the server prints nothing to a terminal.
  reporting(cmd).action(action(outcome, () => serve()));
}

async function serve(): Promise<number> {
  const [{ createConnection, ProposedFeatures }, { startServer }] = await Promise.all([import('vscode-languageserver/node'), import('../../lsp/server.js')]);
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const listDir = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  };
  startServer(connection, { readFile: readFileOrUndefined, listDir });
  // Never settles: the process ends when the client says `exit` or closes the pipe.
  return new Promise<number>(() => undefined);
}
