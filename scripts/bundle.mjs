// Bundles the CLI into dist/cli/ with esbuild: one entry file plus a chunk per lazily imported
// command, so that start-up reads a handful of files instead of ~700 (chevrotain alone pulls in
// hundreds of lodash-es modules). Native addons and Graphviz's WebAssembly stay external: they are
// loaded from node_modules, and only by the commands that use them. Run by `npm run build`.
import { build } from 'esbuild';
import fs from 'node:fs';

fs.rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: { densec: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // vscode-languageserver is CommonJS with deep imports (`/node`): loaded as it is, for the lsp command only.
  external: ['onnxruntime-node', 'sharp', '@viz-js/viz', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'],
  // CommonJS dependencies bundled into ESM call require() for Node's built-ins.
  banner: { js: "import { createRequire as __densecRequire } from 'node:module'; const require = __densecRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
