// Bytes that are not JSON-RPC at all: the server says so in a log message and keeps answering.
import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { root } from '../e2e/cli.js';

test('a body that is not JSON, a params of the wrong type and a bare array do not stop the server', async () => {
  const child = spawn(process.execPath, ['bin/densec.js', 'lsp', '--stdio'], { cwd: root });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const send = (body: string): void => void child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const answered = (id: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (out.includes(`"id":${id},"result"`) ? resolve() : void setTimeout(check, 20));
      check();
    });
  send('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}');
  await answered(1);
  send('{not json at all');
  send('{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":42}');
  send('[1,2,3]');
  send('{"jsonrpc":"2.0","id":3,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///nowhere.dense"}}}');
  await answered(3);
  expect(out).toContain('"id":2,"result":null');
  expect(out).toContain('"id":3,"result":[]');
  send('{"jsonrpc":"2.0","id":4,"method":"shutdown"}');
  await answered(4);
  send('{"jsonrpc":"2.0","method":"exit"}');
  expect(await exited).toBe(0);
});
