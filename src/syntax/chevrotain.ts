// Chevrotain's values, loaded from the package's one-file ESM bundle (lib/chevrotain.mjs). The
// package's entry (lib/src/api.js) is a graph of hundreds of small modules (lodash-es among
// them): 0.45 s of CPU to load, against 0.09 s for the bundle, a third of what a whole `densec
// compile` process spends. The bundle is the same build of the same version; it is found from
// the entry's resolved path, so hoisted installs work too, and the entry is the fallback.
// Every value of chevrotain that src/ uses comes from here (types from 'chevrotain' itself).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    return (await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href)) as Chevrotain;
  } catch {
    return import('chevrotain');
  }
}

export const { createToken, CstParser, EOF, Lexer } = await load();
