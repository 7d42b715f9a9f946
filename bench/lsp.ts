// `npm run bench:lsp`: how fast the language server answers a hover in a generated spec of about
// 2,000 lines (--units families with a model each; 133 by default), in alternating rounds:
//   cached   a hover after no change (no analysis runs);
//   edited   a one-line edit, then a hover (the file is parsed, checked and lowered again);
//   stdio    a hover through `node bin/densec.js lsp` over stdio, after no change (JSON-RPC too);
//   stdio-edited  the same right after a one-line edit sent as didChange (diagnostics for the
//            whole file follow 50 ms later, in the background).
// Medians and p10..p90 of --rounds (default 40). Writes out/bench/lsp.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { hover } from '../src/lsp/hover.js';
import { Workspace } from '../src/lsp/workspace.js';
import { median, quantile } from '../src/runtime/stats.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A spec of `units` families (15 lines each) and one model per family. */
export function generatedSpec(units: number): string {
  const out = ['# generated for bench/lsp.ts', 'const theta = 0.5', ''];
  for (let i = 0; i < units; i++) {
    out.push(
      `family f${i}(k = 12, depth = ${4 + (i % 3)}, classes = 10) {`,
      '  input 3 x 32 x 32',
      '  conv 3x3 out 2 * k',
      '  block depth growth k bottleneck 4 * k',
      '  transition compression theta',
      '  block depth growth k bottleneck 4 * k',
      '  bn',
      '  relu',
      '  avgpool global',
      '  linear classes',
      '  softmax',
      '}',
      `model m${i} = f${i}(k = ${8 + (i % 5)}) # unit ${i}`,
      '',
      '',
    );
  }
  return out.join('\n');
}

interface Figures {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}
const figures = (xs: number[]): Figures => ({ median: median(xs), p10: quantile(xs, 0.1), p90: quantile(xs, 0.9) });
const time = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

async function main(): Promise<void> {
  const units = option('--units', 133);
  const rounds = option('--rounds', 40);
  const text = generatedSpec(units);
  const lineCount = text.split('\n').length;
  const name = join(process.cwd(), 'out', 'bench', 'generated.dense');
  const middle = Math.floor(units / 2);
  // The `block` line of the middle family.
  const position = { line: 3 + middle * 15 + 3, character: 4 };

  const ws = new Workspace({ readFile: () => undefined });
  ws.openDocument(name, text, 1);
  if (!hover(ws, name, position)) throw new Error('the benchmark hover found nothing');

  const uri = pathToFileURL(name).href;
  const child = spawn(process.execPath, ['bin/densec.js', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dense', version: 1, text } });
  await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });

  const cached: number[] = [];
  const edited: number[] = [];
  const stdio: number[] = [];
  const stdioEdited: number[] = [];
  for (let r = 0; r < rounds; r++) {
    cached.push(time(() => hover(ws, name, position)));
    ws.changeDocument(name, text.replace(`# unit ${middle}`, `# unit ${middle} edit ${r}`), r + 2);
    edited.push(time(() => hover(ws, name, position)));
    const t = performance.now();
    await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    stdio.push(performance.now() - t);
    const edit = text.replace(`# unit ${middle}`, `# unit ${middle} stdio ${r}`);
    const t2 = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: r + 2 }, contentChanges: [{ text: edit }] });
    await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    stdioEdited.push(performance.now() - t2);
    // Let the background diagnostics (every model lowered) finish before the next round.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);

  const result = { date: new Date().toISOString(), lines: lineCount, units, rounds, cached: figures(cached), edited: figures(edited), stdio: figures(stdio), stdioEdited: figures(stdioEdited) };
  mkdirSync(join('out', 'bench'), { recursive: true });
  writeFileSync(join('out', 'bench', 'lsp.json'), JSON.stringify(result, null, 2) + '\n');
  const row = (label: string, f: Figures): string => `${label.padEnd(13)} median ${f.median.toFixed(2)} ms   p10 ${f.p10.toFixed(2)}   p90 ${f.p90.toFixed(2)}`;
  process.stdout.write(`hover in a ${lineCount}-line spec (${units} families and models), ${rounds} alternating rounds\n`);
  process.stdout.write(`${row('cached', result.cached)}\n${row('edited', result.edited)}\n${row('stdio', result.stdio)}\n${row('stdio-edited', result.stdioEdited)}\n`);
}

await main();
