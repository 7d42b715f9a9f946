// OpenCV's DNN module as a runtime to time models in, through a Python interpreter that imports
// cv2: OpenCV's DNN has no Node binding, and its Python one is what most OpenCV users run.
// `densec tune --runtime opencv` and the bench use it. A failure is a D08 diagnostic in words
// with the interpreter's or OpenCV's own message as its detail, never that message alone.
import { spawnSync } from 'node:child_process';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface OpenCvFailure {
  readonly diagnostic: Diagnostic;
  readonly detail: string;
  /** Whose words the detail is: "OpenCV", the interpreter, or the system that could not run it. */
  readonly said: string;
}

export type OpenCvTimes =
  | { readonly ok: true; readonly version: string; readonly times: readonly (readonly number[])[] }
  | { readonly ok: false; readonly failure: OpenCvFailure };

/**
 * After `warmup` rounds, each of `runs` rounds runs every file once, rotating which goes first,
 * so that load from other processes falls on all of them alike. The input is sin(0.7 i + 0.3)
 * over the elements of DIMS, float32. A file OpenCV cannot read or run ends the script with its
 * index and OpenCV's message; otherwise it prints {"version", "times": [[ms per round] per file]}.
 */
const timeScript = String.raw`
import json, sys, time
import cv2
import numpy as np
dims = [int(d) for d in sys.argv[1].split(",")]
threads, runs, warmup = (int(a) for a in sys.argv[2:5])
files = sys.argv[5:]
cv2.setNumThreads(threads)
x = np.sin(0.7 * np.arange(int(np.prod(dims)), dtype=np.float64) + 0.3).astype(np.float32).reshape(dims)
nets = []
for i, f in enumerate(files):
    try:
        net = cv2.dnn.readNetFromONNX(f)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        net.setInput(x)
        net.forward()
    except cv2.error as e:
        print(json.dumps({"failed": i, "detail": str(e).strip()}))
        sys.exit(0)
    nets.append(net)
times = [[] for _ in files]
for r in range(-warmup, runs):
    for j in range(len(nets)):
        i = (r % len(nets) + j) % len(nets)
        start = time.perf_counter()
        nets[i].setInput(x)
        nets[i].forward()
        if r >= 0:
            times[i].append(1000 * (time.perf_counter() - start))
print(json.dumps({"version": cv2.__version__, "times": times}))
`;

const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';

function parsed(stdout: string): { failed?: number; detail?: string; version?: string; times?: number[][] } | undefined {
  try {
    return JSON.parse(lastLine(stdout)) as ReturnType<typeof parsed>;
  } catch {
    return undefined;
  }
}

// Asked once per interpreter in a process: the bench times many cells with the same one.
const probed = new Map<string, OpenCvFailure | undefined>();

/** Why `python` cannot run OpenCV's DNN module here, or undefined when it can. */
export function openCvMissing(python: string): OpenCvFailure | undefined {
  if (!probed.has(python)) probed.set(python, probe(python));
  return probed.get(python);
}

function probe(python: string): OpenCvFailure | undefined {
  const r = spawnSync(python, ['-c', 'import cv2, numpy; cv2.dnn.readNetFromONNX'], { encoding: 'utf8' });
  if (r.error) return { diagnostic: diagnostic('D0807', undefined, { python, reason: 'cannot be run' }), detail: r.error.message, said: 'the system' };
  if (r.status !== 0) return { diagnostic: diagnostic('D0807', undefined, { python, reason: 'cannot import cv2 and numpy' }), detail: lastLine(r.stderr), said: python };
  return undefined;
}

/**
 * Times `files` (ONNX paths; `names` name them in messages) in OpenCV DNN on the CPU at input
 * `dims` with `threads` threads, alternating as the script above says.
 */
export function timeOpenCv(python: string, files: readonly string[], names: readonly string[], dims: readonly number[], threads: number, runs: number, warmup: number): OpenCvTimes {
  const missing = openCvMissing(python);
  if (missing) return { ok: false, failure: missing };
  const args = ['-c', timeScript, dims.join(','), String(threads), String(runs), String(warmup), ...files];
  // OMP_NUM_THREADS as well: a cv2 built with OpenMP sizes its pool from it.
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
  const out = r.status === 0 ? parsed(r.stdout) : undefined;
  if (out?.times && out.version) return { ok: true, version: out.version, times: out.times };
  const model = out?.failed !== undefined ? (names[out.failed] ?? files[out.failed]) : names.join(', ');
  const detail = out?.detail ?? (lastLine(r.stderr) || r.error?.message || `exited with ${r.status ?? r.signal}`);
  return { ok: false, failure: { diagnostic: diagnostic('D0808', undefined, { model }), detail, said: out?.detail !== undefined ? 'OpenCV' : python } };
}
