import { lstatSync, realpathSync, statSync } from 'node:fs';
import { relative, isAbsolute, sep } from 'node:path';

/** Why a path under desired-state/ is not read: a code and a sentence naming the path (never its content). */
export interface PathProblem {
  readonly code: 'file.outside-desired-state' | 'file.symlink-loop' | 'file.dangling-symlink' | 'file.not-a-file';
  readonly summary: string;
}

/**
 * Whether `abs` may be read as a desired-state file of `root`: a regular file, or a symlink whose real path
 * stays inside `root`'s real path. A link out of the directory (to /etc/passwd, to an .npmrc with a token) is
 * refused unread — desired state is reviewed in pull requests, and a fork's PR must not make validate quote
 * files from the runner. Loops, dangling links and non-files are named too. `shown` is the path as displayed.
 */
export function confinedFileProblem(abs: string, root: string, shown: string): PathProblem | undefined {
  let link: boolean;
  try {
    link = lstatSync(abs).isSymbolicLink();
  } catch (err) {
    return { code: 'file.not-a-file', summary: `${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { code: 'file.symlink-loop', summary: `${shown} is a symbolic link that loops (it points back to itself), so it was not read` };
    return link
      ? { code: 'file.dangling-symlink', summary: `${shown} is a symbolic link to something that does not exist (${code ?? 'error'}), so it was not read` }
      : { code: 'file.not-a-file', summary: `${shown} cannot be read (${code ?? 'error'})` };
  }
  // Checked for every file, not only links: a symlinked folder on the way (customers/ → /etc) leaves too.
  if (!inside(real, realRoot(root))) {
    const how = link ? 'is a symbolic link to a file' : 'is reached through a symbolic link and lies';
    return { code: 'file.outside-desired-state', summary: `${shown} ${how} outside the desired-state directory; it was not read (links must stay inside it)` };
  }
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch (err) {
    return { code: 'file.not-a-file', summary: `${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return isFile ? undefined : { code: 'file.not-a-file', summary: `${shown} is not a regular file (a directory or a device?), so it was not read` };
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
