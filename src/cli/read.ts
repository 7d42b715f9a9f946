// Every input file densec reads goes through here: only regular files (a device, a FIFO or
// /proc file could be read forever), each under a size cap checked before reading, and each
// remembered (device and inode), so that no writer can replace a file this process has read
// (src/cli/write.ts).
import fs from 'node:fs';
import { limitOf, limits, type Limit } from './limits.js';
import { grouped } from '../diagnostics/grouped.js';

export interface Unreadable {
  readonly unreadable: string;
}

/** Device and inode of every file read so far, as `dev:ino`. */
const inputs = new Set<string>();

export const identity = (st: fs.Stats): string => `${st.dev}:${st.ino}`;

/** Whether `st` is a file this process has read. */
export function isInput(st: fs.Stats): boolean {
  return inputs.has(identity(st));
}

/** What kind of file a non-regular file is, for messages. */
export function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A regular file's bytes, at most `limit`'s bytes; or why it cannot be read. */
export function readInput(file: string, limit: Limit = limits.inputBytes): Buffer | Unreadable {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO with no writer returns at once instead of waiting.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { unreadable: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : (e as Error).message };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { unreadable: `it is ${kindOf(st)}, not a regular file` };
    const cap = limitOf(limit);
    if (st.size > cap) {
      return { unreadable: `${grouped(st.size)} bytes, more than the limit of ${grouped(cap)} ${limit.what} (raise it with ${limit.env})` };
    }
    inputs.add(identity(st));
    return fs.readFileSync(fd);
  } catch (e) {
    return { unreadable: (e as Error).message };
  } finally {
    fs.closeSync(fd);
  }
}

export const isUnreadable = (r: unknown): r is Unreadable => typeof r === 'object' && r !== null && 'unreadable' in r;

/** A spec file's text (UTF-8), under the spec size cap. */
export function readSpec(file: string): string | Unreadable {
  const r = readInput(file, limits.specBytes);
  return isUnreadable(r) ? r : r.toString('utf8');
}

/** The reader for `use` declarations: the text, undefined for a missing file, or why not. */
export function readUse(file: string): string | Unreadable | undefined {
  const r = readSpec(file);
  return isUnreadable(r) && r.unreadable === 'no such file' ? undefined : r;
}

/** A spec file's text, or undefined when it cannot be read (the reason is dropped). */
export function readFileOrUndefined(file: string): string | undefined {
  const r = readSpec(file);
  return isUnreadable(r) ? undefined : r;
}
