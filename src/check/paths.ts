// Posix path arithmetic for `use`, by hand: the core never imports node:path, fs or process.

/** The folder part of a path: `specs/lib/a.dense` -> `specs/lib`; `a.dense` -> ``. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : path.slice(0, i);
}

/** Joins `rel` onto `dir` and removes `.` and `..` segments where it can. */
export function join(dir: string, rel: string): string {
  const path = rel.startsWith('/') || dir === '' ? rel : `${dir}/${rel}`;
  const absolute = path.startsWith('/');
  const parts = path.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && absolute) continue;
    else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}
