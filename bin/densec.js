#!/usr/bin/env node
// The bundled CLI (dist/cli/, `npm run build`) starts in a fraction of the time of the ~200
// modules tsc writes to dist/src/; it is used unless a later `tsc` run has made it stale.
import fs from 'node:fs';

const mtime = (url) => {
  try {
    return fs.statSync(new URL(url, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
// A reader that stops early (`densec --help | head -3`) closes the pipe: stop quietly, as cat
// does, instead of Node's stack trace for the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`densec: cannot write its output: ${e.message}\n`);
    process.exit(1);
  });
}

const bundled = mtime('../dist/cli/densec.js') >= mtime('../dist/src/cli/main.js');
const { main } = await import(bundled ? '../dist/cli/densec.js' : '../dist/src/cli/main.js');
process.exitCode = await main(process.argv);
