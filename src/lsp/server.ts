// The language server's wiring: LSP requests -> the features in this folder, over a connection
// the caller makes (the CLI's `densec lsp` gives it stdio and the file system).
// Diagnostics are published shortly after the last change (debounced), for every file the open
// documents load, once every model is lowered (in the background, between requests). A handler
// that throws answers null (and logs it): no input stops the server.
import type { Connection, Diagnostic as LspDiagnostic, InitializeResult } from 'vscode-languageserver';
import { TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { sourcesOf } from '../diagnostics/render.js';
import type { Span } from '../diagnostics/span.js';
import { version } from '../version.js';
import { completion } from './complete.js';
import { nameToUri, toLsp, uriToName } from './convert.js';
import { inlayHints } from './hints.js';
import { hover } from './hover.js';
import { definition, references } from './navigate.js';
import { documentSymbols, formatting } from './symbols.js';
import { Workspace, type Host } from './workspace.js';

export interface ServerOptions {
  /** Milliseconds from the last change to publishing diagnostics. */
  readonly debounceMs?: number;
}

export function startServer(connection: Connection, host: Host, options: ServerOptions = {}): Workspace {
  const ws = new Workspace(host);
  const documents = new TextDocuments(TextDocument);
  const published = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshHints = false;

  const guard =
    <P, R>(fallback: R, fn: (p: P) => R) =>
    (p: P): R => {
      try {
        return fn(p);
      } catch (e) {
        connection.console.error(`densec lsp: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };

  // Lowering every model of a big file takes a while: it is done one model at a time, yielding
  // between models so that requests are answered meanwhile; a newer change abandons the run.
  let changes = 0;
  const lowerAll = async (): Promise<boolean> => {
    const at = changes;
    for (const a of ws.openAnalyses()) {
      for (const m of a.models) {
        void m.diagnostics;
        await new Promise((resolve) => setImmediate(resolve));
        if (changes !== at) return false;
      }
    }
    return true;
  };
  const publish = guard(undefined, () => {
    timer = undefined;
    void lowerAll().then((current) => (current ? send(undefined) : undefined), (e) => connection.console.error(`densec lsp: ${String(e)}`));
  });
  const send = guard(undefined, () => {
    const byFile = new Map<string, Map<string, LspDiagnostic>>();
    for (const a of ws.openAnalyses()) {
      const sources = sourcesOf(a.analysis.sources);
      for (const d of a.diagnostics) {
        if (!d.span) continue;
        const lsp = toLsp(d as typeof d & { span: Span }, sources);
        if (!lsp) continue;
        const list = byFile.get(d.span.file) ?? new Map<string, LspDiagnostic>();
        byFile.set(d.span.file, list);
        list.set(`${d.code}|${d.span.start}|${d.span.end}|${d.message}`, lsp);
      }
    }
    for (const file of new Set([...byFile.keys(), ...published.keys()])) {
      const diagnostics = [...(byFile.get(file)?.values() ?? [])];
      const json = JSON.stringify(diagnostics);
      if (published.get(file) === json) continue;
      if (diagnostics.length > 0) published.set(file, json);
      else published.delete(file);
      void connection.sendDiagnostics({ uri: nameToUri(file), diagnostics });
    }
    if (refreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  const schedule = (): void => {
    changes++;
    if (timer) clearTimeout(timer);
    timer = setTimeout(publish, options.debounceMs ?? 50);
  };

  documents.onDidChangeContent(
    guard(undefined, (e) => {
      const name = uriToName(e.document.uri);
      if (ws.isOpen(name)) ws.changeDocument(name, e.document.getText(), e.document.version);
      else ws.openDocument(name, e.document.getText(), e.document.version);
      schedule();
    }),
  );
  documents.onDidClose(
    guard(undefined, (e) => {
      ws.closeDocument(uriToName(e.document.uri));
      schedule();
    }),
  );
  connection.onDidChangeWatchedFiles(
    guard(undefined, (p) => {
      for (const c of p.changes) ws.diskChanged(uriToName(c.uri));
      schedule();
    }),
  );

  connection.onInitialize((params): InitializeResult => {
    refreshHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    return {
      serverInfo: { name: 'densec', version },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: [' ', '(', ',', '"'] },
        documentFormattingProvider: true,
        documentSymbolProvider: true,
        inlayHintProvider: true,
      },
    };
  });

  const nameOf = (p: { textDocument: { uri: string } }): string => uriToName(p.textDocument.uri);
  connection.onHover(guard(null, (p) => hover(ws, nameOf(p), p.position)));
  connection.onDefinition(guard(null, (p) => definition(ws, nameOf(p), p.position)));
  connection.onReferences(guard([], (p) => references(ws, nameOf(p), p.position, p.context?.includeDeclaration ?? true)));
  connection.onCompletion(guard([], (p) => completion(ws, nameOf(p), p.position)));
  connection.onDocumentFormatting(guard([], (p) => formatting(ws, nameOf(p))));
  connection.onDocumentSymbol(guard([], (p) => documentSymbols(ws, nameOf(p))));
  connection.languages.inlayHint.on(guard([], (p) => inlayHints(ws, nameOf(p), p.range)));

  documents.listen(connection);
  connection.listen();
  return ws;
}
