// Execution providers: explicit GPU providers that cannot start say why in words (D08), with
// onnxruntime's message as a detail; `auto` falls back to the CPU and says what it skipped.
// This machine has no GPU: the GPU paths are exercised as failures here.
import { describe, expect, test } from 'vitest';
import { classifyEpError, createSession, providerInstalled } from '../../src/runtime/session.js';
import { emitOnnx } from '../../src/emit/onnx.js';
import { renderText } from '../../src/diagnostics/render.js';
import { everyOp } from '../emit/graphs.js';

const model = emitOnnx(everyOp()).model;
const gpuHere = providerInstalled('cuda') || process.env.DENSEC_GPU === '1';

describe('createSession', () => {
  test('cpu starts and says so', async () => {
    const opened = await createSession(model, { ep: 'cpu', threads: 1 });
    expect(opened.ok && opened.ep).toBe('cpu');
    if (opened.ok) await opened.session.release();
  });

  test.skipIf(gpuHere)('cuda without its provider libraries: D0802, with the fix and the native message', async () => {
    const opened = await createSession(model, { ep: 'cuda' });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.failure.diagnostic.code).toBe('D0802');
    expect(opened.failure.diagnostic.help).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci');
    expect(opened.failure.diagnostic.help).toContain('--ep cpu');
    expect(opened.failure.detail.length).toBeGreaterThan(0);
    expect(opened.failure.diagnostic.message).not.toContain(opened.failure.detail);
  });

  test.skipIf(gpuHere)('webgpu without an adapter: D0801', async () => {
    const opened = await createSession(model, { ep: 'webgpu' });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.failure.diagnostic.code).toBe('D0801');
    expect(opened.failure.detail).toMatch(/adapter/i);
  });

  test.skipIf(gpuHere)('auto tries cuda, then webgpu, then runs on the cpu', async () => {
    const opened = await createSession(model, { ep: 'auto', threads: 1 });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.ep).toBe('cpu');
    expect(opened.skipped.map((s) => s.ep)).toEqual(['cuda', 'webgpu']);
    await opened.session.release();
  });

  test('bytes that are not a model: D0805', async () => {
    const opened = await createSession(new Uint8Array([1, 2, 3]), { ep: 'cpu', name: 'junk' });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(renderText([opened.failure.diagnostic], () => undefined)).toContain('error[D0805]: onnxruntime could not load the model `junk` on cpu');
  });
});

describe('classifyEpError', () => {
  test('puts native messages into words', () => {
    expect(classifyEpError('cuda', 'Failed to load library libonnxruntime_providers_cuda.so with error: cannot open shared object file', 'm').diagnostic.code).toBe('D0802');
    expect(classifyEpError('webgpu', 'Failed to get a WebGPU adapter: No supported adapters', 'm').diagnostic.code).toBe('D0801');
    expect(classifyEpError('webgpu', 'device lost', 'm').diagnostic.code).toBe('D0804');
  });

  test('renders the cause and the fix', () => {
    const text = renderText([classifyEpError('webgpu', 'Failed to get a WebGPU adapter', 'm').diagnostic], () => undefined);
    expect(text).toBe(
      'error[D0801]: no WebGPU adapter: this machine has no GPU with a Vulkan driver\n' +
        '  = help: run on a machine with a GPU and its Vulkan driver, or use `--ep cpu`\n',
    );
  });
});
