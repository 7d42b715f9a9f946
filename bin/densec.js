#!/usr/bin/env node
// The bundled CLI (dist/cli/densec.cjs, `npm run build`, loaded by load.js with its code cache)
// is used unless a later `tsc` run has made it stale; else the ~200 modules tsc writes to dist/src/.
import { fileURLToPath } from 'node:url';
import { loadBundle, mtime } from './load.js';

// A reader that stops early (`densec --help | head -3`) closes the pipe: stop quietly, as cat
// does, instead of Node's stack trace for the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`densec: cannot write its output: ${e.message}\n`);
    process.exit(1);
  });
}

const bundle = fileURLToPath(new URL('../dist/cli/densec.cjs', import.meta.url));
const unbundled = new URL('../dist/src/cli/main.js', import.meta.url);
// DENSEC_CODE_CACHE=<file> (scripts/bundle.mjs): compile without the cache, then write it there.
const cacheTarget = process.env.DENSEC_CODE_CACHE;
const loaded = mtime(bundle) >= mtime(fileURLToPath(unbundled)) ? loadBundle(bundle, { useCache: cacheTarget === undefined }) : { exports: await import(unbundled.href) };
process.exitCode = await loaded.exports.main(process.argv);
if (cacheTarget !== undefined && loaded.save) loaded.save(cacheTarget);
