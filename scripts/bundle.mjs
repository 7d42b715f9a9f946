// Bundles the CLI into dist/cli/ with esbuild, then writes V8's code cache for it. Run by
// `npm run build`.
// - dist/cli/densec.cjs: the whole CLI in one CommonJS file, so that bin/densec.js can compile it
//   with vm.Script and V8's code cache (Node 20 has no code cache for ES modules). Start-up reads
//   one file instead of ~700 (chevrotain alone pulls in hundreds of lodash-es modules); each
//   command's modules are still initialised only when that command runs (esbuild's lazy wrappers
//   for `import()`). Native addons, Graphviz's WebAssembly and vscode-languageserver stay
//   external: required from node_modules (their CommonJS entries), and only by the commands that
//   use them.
// - dist/cli/probe-child.js: the WebGPU probe that src/cli/probe.ts runs in a child process.
// - dist/cli/densec.cjs.cache: V8's code cache, taken after one `densec compile` of the zoo's
//   densenet121 (so it holds the functions a compile runs, not only the top level). It is valid
//   for this Node build only: another one rejects it and compiles the source as usual.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const external = ['onnxruntime-node', 'sharp', '@viz-js/viz', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'];

// src/syntax/chevrotain.ts loads chevrotain's one-file ESM bundle with a top-level await, which
// CommonJS cannot hold: here that same file is bundled in, found as that module finds it.
const chevrotainBundle = path.join(path.dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.mjs');
const chevrotain = {
  name: 'chevrotain-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]syntax[\\/]chevrotain\.ts$/ }, () => ({
      contents: `export { createToken, CstParser, EOF, Lexer } from ${JSON.stringify(chevrotainBundle)};`,
      loader: 'ts',
    }));
  },
};

fs.rmSync('dist/cli', { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', external, legalComments: 'none', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: { densec: 'src/cli/main.ts' },
  outfile: 'dist/cli/densec.cjs',
  format: 'cjs',
  // No import() in the bundle (a vm.Script has no module loader to run one): the external
  // packages' CommonJS entries are required instead.
  supported: { 'dynamic-import': false },
  plugins: [chevrotain],
  // import.meta.url (where a module finds its neighbours) is the bundle's own URL.
  define: { 'import.meta.url': '__densecUrl' },
  banner: { js: "const __densecUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// One ASCII byte per character, so bin/load.js reads the bundle as latin1 into a one-byte V8
// string: a single non-ASCII character (a quote in a dependency's comment) made all 1.4 MB a
// two-byte string, decoded from UTF-8 (9 ms more to load). esbuild escapes strings, template
// literals and regular expressions (charset ascii); what is left is in comments, escaped here.
const cli = fs.readFileSync('dist/cli/densec.cjs', 'utf8');
fs.writeFileSync('dist/cli/densec.cjs', cli.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`), 'latin1');
await build({
  ...common,
  entryPoints: { 'probe-child': 'src/cli/probe-child.ts' },
  outdir: 'dist/cli',
  format: 'esm',
  // CommonJS dependencies bundled into ESM call require() for Node's built-ins.
  banner: { js: "import { createRequire as __densecRequire } from 'node:module'; const require = __densecRequire(import.meta.url);" },
});

// The code cache, from a real compile (bin/densec.js writes it when DENSEC_CODE_CACHE names it).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-bundle-'));
try {
  const cache = 'dist/cli/densec.cjs.cache';
  const run = spawnSync(process.execPath, ['bin/densec.js', 'compile', 'specs/densenet121.dense', '-o', path.join(scratch, 'model.onnx'), '--quiet'], {
    encoding: 'utf8',
    env: { ...process.env, DENSEC_CODE_CACHE: path.resolve(cache) },
  });
  if (run.status !== 0 || !fs.existsSync(cache)) throw new Error(`the code cache run failed (${run.status}): ${run.stderr}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
