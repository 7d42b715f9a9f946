// A real LSP client for the tests: `node bin/densec.js lsp --stdio` as a child process, driven
// through vscode-languageserver-protocol over its standard input and output.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { root } from '../e2e/cli.js';

export const uriOf = (file: string): string => pathToFileURL(path.resolve(root, file)).href;

export interface Client {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  /** The next diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  /** Opens a file of the repository (its text from disk unless given). */
  open(file: string, text?: string): Promise<string>;
  change(uri: string, version: number, text: string): Promise<void>;
  /** Shutdown and exit; resolves with the server's exit code. */
  stop(): Promise<number | null>;
  stderr(): string;
}

export async function startClient(): Promise<Client> {
  const child = spawn(process.execPath, ['bin/densec.js', 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const latest = new Map<string, Diagnostic[]>();
  const waiters: Array<{ uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    latest.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: { workspace: { inlayHint: { refreshSupport: false } } },
    workspaceFolders: null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    child,
    diagnostics: (uri, accept = () => true) => {
      const now = latest.get(uri);
      if (now && accept(now)) return Promise.resolve(now);
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    open: async (file, text) => {
      const uri = uriOf(file);
      const content = text ?? fs.readFileSync(path.resolve(root, file), 'utf8');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dense', version: 1, text: content } });
      return uri;
    },
    change: async (uri, version, text) => {
      latest.delete(uri);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    stop: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      return exited;
    },
    stderr: () => stderr,
  };
}
