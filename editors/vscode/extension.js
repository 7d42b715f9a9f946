// The VS Code client for densec's language server: starts `densec lsp --stdio` for .dense files.
// Run from this repository (editors/vscode), it uses the repository's own bin/densec.js with
// VS Code's Node; elsewhere `densec` on the PATH, or the `densec.server.path` setting.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const configured = vscode.workspace.getConfiguration('densec').get('server.path');
  if (configured) return { command: configured, args: ['lsp'], transport: TransportKind.stdio };
  const repository = path.join(__dirname, '..', '..', 'bin', 'densec.js');
  if (fs.existsSync(repository)) return { module: repository, args: ['lsp'], transport: TransportKind.stdio };
  return { command: 'densec', args: ['lsp'], transport: TransportKind.stdio };
}

function activate(context) {
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'dense' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.dense') },
  };
  client = new LanguageClient('densec', 'densec', serverOptions(), clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
