// Every file densec writes goes through writeOutputs, which enforces one rule: no command
// writes over a file it has read (src/cli/read.ts remembers them), nor over anything that is
// not a regular file, and a set of files is written all-or-nothing (each as a temporary beside
// its target, then renamed in order), nor over a read-only file. A symlink is followed: its target is written, the link
// kept. Temporaries left by a killed densec (`.NAME.PID.tmp`, PID no longer running) are removed.
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Part } from '../emit/frame.js';
import { isInput, kindOf } from './read.js';

/**
 * A file's content: text, bytes, or bytes as parts written one after another (a model of several
 * GB is never joined), some of them made only as they are written (a deferred weight's).
 */
export type Data = Uint8Array | string | { readonly parts: readonly Part[] };

export interface Output {
  readonly path: string;
  readonly data: Data;
}

export interface WriteOptions {
  /** fmt --write: the targets are the inputs, rewritten in place. */
  readonly inPlace?: boolean;
}

const cannot = (target: string, e: unknown): Diagnostic => {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'a read-only file system' : (e as Error).message;
  return diagnostic('D0609', undefined, { path: target, reason });
};

/** The file a path names: through any symlinks, when it exists. */
function resolved(target: string): string {
  try {
    return fs.realpathSync(target);
  } catch {
    return target;
  }
}

/**
 * Creates `dir` and its missing parents one level at a time (Node's recursive mkdir loops
 * forever on procfs, where every mkdir fails with ENOENT).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing) fs.mkdirSync(m);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `.NAME.PID.tmp` beside `target` for every PID that is not running. */
function removeStale(target: string): void {
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(path.dirname(target), name), { force: true });
  }
}

/** The refusal for one target, before anything is written; undefined when it may be written. */
function refusal(shown: string, target: string, options: WriteOptions): Diagnostic | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : cannot(shown, e);
  }
  if (!st.isFile()) return diagnostic('D0631', undefined, { path: shown, kind: kindOf(st) });
  if (!options.inPlace && isInput(st)) return diagnostic('D0605', undefined, { path: shown });
  // A rename would replace it (the folder is writable); its owner made it read-only to keep it.
  if ((st.mode & 0o222) === 0) return diagnostic('D0609', undefined, { path: shown, reason: 'the file is read-only' });
  return undefined;
}

/** Writes every output or none; returns the diagnostic when it refuses or fails. */
export function writeOutputs(outputs: readonly Output[], options: WriteOptions = {}): Diagnostic | undefined {
  const targets = outputs.map((o) => resolved(o.path));
  for (const [i, target] of targets.entries()) {
    const refused = refusal(outputs[i].path, target, options);
    if (refused) return refused;
  }
  const temps: string[] = [];
  try {
    for (const [i, target] of targets.entries()) {
      makeDirs(path.dirname(target));
      removeStale(target);
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
      temps.push(tmp);
      writeData(tmp, outputs[i].data);
    }
  } catch (e) {
    for (const tmp of temps) fs.rmSync(tmp, { force: true });
    return cannot(outputs[temps.length - 1]?.path ?? outputs[0].path, e);
  }
  for (const [i, target] of targets.entries()) {
    try {
      fs.renameSync(temps[i], target);
    } catch (e) {
      for (const tmp of temps.slice(i)) fs.rmSync(tmp, { force: true });
      return cannot(outputs[i].path, e);
    }
  }
  return undefined;
}

/** `data` as the file `file`: a new file (`wx`), or with `flag` 'w' over what is there (the bench's repeats). */
export function writeData(file: string, data: Data, flag: 'wx' | 'w' = 'wx'): void {
  if (typeof data === 'string' || data instanceof Uint8Array) return fs.writeFileSync(file, data, { flag });
  const fd = fs.openSync(file, flag);
  try {
    writeParts(fd, data.parts);
  } finally {
    fs.closeSync(fd);
  }
}

/** Buffers per writev: Linux's IOV_MAX. */
const iovMax = 1024;

// Where the parts made when written are made, a batch at a time: grown to the largest part, reused
// for every batch (new memory for each would be first touches of the whole model again).
let pool = new Uint8Array(0);
const poolBytes = 1 << 20;

/**
 * `parts` one after another at `fd`'s position: a writev per 1,024 parts (a model is thousands
 * of small parts, names and shapes, between its weights), and a short write finished part by
 * part. A part made when written is made into the pool (at an offset aligned to 64 bytes, so a
 * float32 weight is drawn straight into it), and the batch written before the pool is reused.
 */
export function writeParts(fd: number, parts: readonly Part[]): void {
  let batch: Uint8Array[] = [];
  let used = 0;
  const flush = (): void => {
    writeBatch(fd, batch);
    batch = [];
    used = 0;
  };
  for (const p of parts) {
    if (p instanceof Uint8Array) batch.push(p);
    else {
      let at = Math.ceil(used / 64) * 64;
      if (at + p.length > Math.max(pool.length, poolBytes) && used > 0) {
        flush();
        at = 0;
      }
      if (pool.length < at + p.length) pool = new Uint8Array(Math.max(poolBytes, at + p.length));
      const into = pool.subarray(at, at + p.length);
      p.write(into);
      batch.push(into);
      used = at + p.length;
    }
    if (batch.length === iovMax) flush();
  }
  if (batch.length > 0) flush();
}

function writeBatch(fd: number, batch: readonly Uint8Array[]): void {
  let written = fs.writevSync(fd, batch);
  for (const p of batch) {
    if (written >= p.length) {
      written -= p.length;
      continue;
    }
    for (let at = written; at < p.length; ) at += fs.writeSync(fd, p, at, Math.min(p.length - at, 2 ** 30));
    written = 0;
  }
}

/** One file, through writeOutputs; throws on failure (for callers that report it themselves). */
export function writeFileAtomic(target: string, data: Data): void {
  const failed = writeOutputs([{ path: target, data }]);
  if (failed) throw new Error(failed.message);
}
