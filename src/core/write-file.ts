import { randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.js';

/**
 * Writes (creates or replaces) the file `path` with `text`, never through a symbolic link: a committed symlink named
 * `plan.json` or `apply.log` would otherwise redirect pcsync's output over any file the process can write (the
 * pcsync it runs, a workflow file, a key). The last component is opened with O_NOFOLLOW (POSIX open(2): fails with
 * ELOOP on a symlink), so there is no window between a check and the write; where the platform has no O_NOFOLLOW
 * (Windows) a link is refused by lstat first. Anything else that is not a regular file (a directory, a FIFO) is
 * refused too. Refusals are UserErrors naming `shown` (the path as the user gave it); other errors are thrown as is.
 */
export function writeFileNoFollow(path: string, text: string, shown: string = path): void {
  refuseNonFile(path, shown);
  const noFollow = constants.O_NOFOLLOW ?? 0;
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | noFollow, 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw refused(shown);
    throw err;
  }
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the file `path` from the chunks `fill` hands to `write`, never holding the whole text: the chunks go to a
 * new temporary file beside it (created exclusively, never through a link), which then replaces `path` in one
 * rename, so a reader never sees half a file and a failure leaves the old one as it was. A link or a non-file at
 * `path` is refused first, as by `writeFileNoFollow`; a link that appears meanwhile is replaced, never followed
 * (rename(2) acts on the name, not on what it points at).
 */
export function writeFileStreamed(path: string, fill: (write: (chunk: string) => void) => void, shown: string = path): void {
  refuseNonFile(path, shown);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o666);
  let done = false;
  try {
    try {
      fill((chunk) => {
        const bytes = Buffer.from(chunk, 'utf8');
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      });
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    done = true;
  } finally {
    if (!done) rmSync(temp, { force: true });
  }
}

/** Throws the same refusals as `writeFileNoFollow` when `path` exists and is a link or not a regular file. */
export function refuseNonFile(path: string, shown: string = path): void {
  let kind;
  try {
    kind = lstatSync(path);
  } catch {
    return; // not there yet: O_CREAT makes it (and O_NOFOLLOW refuses a link that appears meanwhile)
  }
  if (kind.isSymbolicLink()) throw refused(shown);
  if (!kind.isFile()) throw new UserError('file.not-a-file', `${shown} exists and is not a regular file; pcsync writes only regular files. Nothing was written.`);
}

function refused(shown: string): UserError {
  return new UserError('file.symlink', `${shown} is a symbolic link; pcsync never writes through a link (it could point anywhere). Remove the link or write elsewhere; nothing was written.`);
}

/**
 * `mkdir -p` one level at a time. Node 20's `mkdirSync(…, { recursive: true })` never returns for some paths
 * under /proc (it retries the parent forever); made one by one, a folder that cannot be made fails at once.
 */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    try {
      statSync(p);
      break;
    } catch {
      missing.unshift(p);
      if (dirname(p) === p) break;
    }
  }
  for (const p of missing) mkdirSync(p);
}
