// Peak memory of an onnxruntime session, measured in a child process of its own (peak RSS only
// grows): the growth of the peak from after loading the file to after five runs, which is the
// session's own (weights as it holds them, its arena, activations), and the total peak.
// The peak is VmHWM from /proc/self/status: getrusage's maxrss survives fork and exec, so a
// child of a big process would report its parent's peak.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Peak resident set of this process in KiB (Linux; elsewhere getrusage's figure). */
function peakKiB(): number {
  try {
    const m = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
import { fileURLToPath } from 'node:url';
import { benchInput, openSession, runOnce } from './latency.js';

export interface Memory {
  /** KiB of peak RSS the session added (creation and five runs). */
  readonly sessionKiB: number;
  readonly peakKiB: number;
}

/** Runs in the child: `node bench.js --child-memory FILE THREADS N,C,H,W`. */
export async function childMemory(file: string, threads: number, dims: number[]): Promise<void> {
  readFileSync(file);
  const before = peakKiB();
  const session = await openSession(file, threads);
  const input = benchInput(dims);
  for (let i = 0; i < 5; i++) await runOnce(session, input, dims);
  const after = peakKiB();
  process.stdout.write(JSON.stringify({ sessionKiB: after - before, peakKiB: after }));
}

export function measureMemory(file: string, threads: number, dims: readonly number[]): Memory {
  const script = fileURLToPath(new URL('./bench.js', import.meta.url));
  const out = execFileSync(process.execPath, [script, '--child-memory', file, String(threads), dims.join(',')], { encoding: 'utf8' });
  return JSON.parse(out) as Memory;
}
