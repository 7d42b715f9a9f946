// Loads the bundled CLI (dist/cli/densec.cjs) with V8's code cache beside it, which saves most of
// the bundle's compile time at every start (Node 20 has no code cache for ES modules: hence one
// CommonJS file, compiled here with vm.Script). scripts/bundle.mjs writes the cache.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/**
 * The bundle's exports, compiled with `${file}.cache` when that is not older than the bundle (V8
 * itself rejects a cache of another V8 build, or a damaged one, and compiles the source as
 * usual). `rejected` says whether a cache was offered and refused; `save(target)` writes the
 * cache of everything compiled so far (the build calls it after a compile).
 */
export function loadBundle(file, { useCache = true } = {}) {
  const cache = `${file}.cache`;
  // latin1: the bundle is ASCII (scripts/bundle.mjs escapes the rest), read as a one-byte string.
  const cachedData = useCache && mtime(cache) >= mtime(file) ? fs.readFileSync(cache) : undefined;
  const source = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'latin1')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  const save = (target) => {
    fs.writeFileSync(`${target}.tmp`, script.createCachedData());
    fs.renameSync(`${target}.tmp`, target);
  };
  return { exports: module.exports, cached: cachedData !== undefined, rejected: cachedData !== undefined && script.cachedDataRejected === true, save };
}
