import { closeSync, constants, lstatSync, openSync, writeSync } from 'node:fs';
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
