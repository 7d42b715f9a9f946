// The README's commands, run so that they cannot rot. Every line of a ```sh block that starts
// with `densec ` or `npx densec ` is a complete command, run from the repository root through a
// shell (so globs work) with the built CLI; it must exit 0, or the code its `# exit N` comment
// gives. `npm` lines are left to CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { root } from './cli.js';

const readmePath = path.join(root, 'README.md');

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

const fixture = [
  'Some prose, then:',
  '',
  '```sh',
  'npm ci',
  'npx densec inspect specs/densenet121.dense',
  'densec fmt --check specs/*.dense specs/lib/*.dense',
  'densec verify specs/missing.dense   # exit 2',
  '```',
  '',
  '```',
  'densec not-a-sh-block',
  '```',
].join('\n');

describe('readmeCommands', () => {
  test('takes densec lines of sh blocks only, with their expected exit codes', () => {
    expect(readmeCommands(fixture)).toEqual([
      { line: 'npx densec inspect specs/densenet121.dense', args: 'inspect specs/densenet121.dense', expectedCode: 0 },
      { line: 'densec fmt --check specs/*.dense specs/lib/*.dense', args: 'fmt --check specs/*.dense specs/lib/*.dense', expectedCode: 0 },
      { line: 'densec verify specs/missing.dense   # exit 2', args: 'verify specs/missing.dense', expectedCode: 2 },
    ]);
  });
});

// The README once it exists; until then the fixture's commands, so the machinery is exercised.
const hasReadme = fs.existsSync(readmePath);
const commands = readmeCommands(hasReadme ? fs.readFileSync(readmePath, 'utf8') : fixture);

describe(hasReadme ? 'README.md' : 'README.md (not written yet: the fixture)', () => {

  test('has densec commands in ```sh blocks', () => {
    expect(commands.length).toBeGreaterThan(0);
  });

  test.each(commands.map((c) => [c.line, c] as const))('%s', (_line, command) => {
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" bin/densec.js ${command.args}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    });
    expect(r.status, `${command.line}\n${r.stderr}`).toBe(command.expectedCode);
    expect(r.stderr).not.toMatch(/^\s+at .+[(:]\d+/m);
  });
});
