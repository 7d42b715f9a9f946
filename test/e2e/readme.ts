// The densec commands of a markdown text's ```sh blocks: what test/e2e/readme.test.ts runs from
// the repository and test/e2e/package.test.ts runs in a folder where the tarball is installed.

export interface ReadmeCommand {
  /** The line as written, for the test's name. */
  readonly line: string;
  /** The arguments after `densec`, as shell words (comment removed). */
  readonly args: string;
  readonly expectedCode: number;
}

/** The densec commands of the ```sh blocks of a markdown text. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let inSh = false;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inSh = !inSh && /^```(sh|bash|shell|console)\s*$/.test(line);
      continue;
    }
    const command = inSh ? /^(?:npx )?densec (.*)$/.exec(line) : null;
    if (!command) continue;
    const [, rest] = command;
    const exit = /\s#\s*exit (\d+)\s*$/.exec(rest);
    commands.push({ line, args: rest.replace(/\s#.*$/, '').trim(), expectedCode: exit ? Number(exit[1]) : 0 });
  }
  return commands;
}
