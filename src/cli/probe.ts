// Execution providers whose native code writes to stderr while it fails (WebGPU: Dawn's
// "PhysicalDeviceVk.cpp" warnings, Mesa's "XDG_RUNTIME_DIR is invalid") are first tried in a
// child process (probe-child.ts) whose stderr is captured: a provider that cannot start is then
// reported in densec's words only, and never initialised in this process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Ep } from '../runtime/session.js';

const child = fileURLToPath(new URL('./probe-child.js', import.meta.url));
const probed = new Map<Ep, string | undefined>();

/** Undefined when `ep` starts in a child process; else onnxruntime's reason. Once per process. */
export function probeInChild(ep: Ep): string | undefined {
  if (ep !== 'webgpu') return undefined;
  if (!probed.has(ep)) {
    const r = spawnSync(process.execPath, [child, ep], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    let detail: string | undefined;
    try {
      const said = JSON.parse(r.stdout) as { ok: boolean; detail?: string };
      detail = said.ok ? undefined : (said.detail ?? 'the provider did not start');
    } catch {
      detail = r.error ? r.error.message : `the probe exited with ${r.status ?? r.signal}`;
    }
    probed.set(ep, detail);
  }
  return probed.get(ep);
}
