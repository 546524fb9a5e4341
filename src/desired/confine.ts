import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, isAbsolute, sep } from 'node:path';

/** Why a path under desired-state/ is not read: a code and a sentence naming the path (never its content). */
export interface PathProblem {
  readonly code: 'file.outside-desired-state' | 'file.symlink-loop' | 'file.dangling-symlink' | 'file.not-a-file' | 'file.symlink' | 'file.hard-link';
  readonly summary: string;
}

/**
 * Whether `abs` may be read as a desired-state file of `root`: a regular file with one name, reached through no
 * symbolic link below `root`. A link out of the directory (to /etc/passwd, to an .npmrc with a token) is refused
 * unread — desired state is reviewed in pull requests, and a fork's PR must not make validate quote files from the
 * runner — and so is every other symbolic link (file or folder: a review sees the link, not what it reaches, and a
 * link inside can be re-pointed by a checkout) and a hard link (a second name of a file that may lie elsewhere; the
 * same inode cannot be told apart from its twin). Loops, dangling links and non-files are named too. `shown` is the
 * path as displayed.
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
  if (link) return { code: 'file.symlink', summary: `${shown} is a symbolic link; desired-state files must be plain files (a review sees the link, not what it points to), so it was not read — replace it with the file itself` };
  const folder = linkedFolder(abs, root);
  if (folder) return { code: 'file.symlink', summary: `${shown} is reached through the symbolic link ${folder}; desired-state folders must be plain folders, so it was not read — replace the link with the folder itself` };
  let st;
  try {
    st = statSync(abs);
  } catch (err) {
    return { code: 'file.not-a-file', summary: `${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!st.isFile()) return { code: 'file.not-a-file', summary: `${shown} is not a regular file (a directory or a device?), so it was not read` };
  if (st.nlink > 1) return { code: 'file.hard-link', summary: `${shown} is a hard link (the file has ${st.nlink} names, and the others may lie outside the desired-state directory), so it was not read — replace it with a copy of its own` };
  return undefined;
}

/** The first folder between `root` and `abs` (both excluded) that is a symbolic link, as given in `abs`; undefined when none. */
function linkedFolder(abs: string, root: string): string | undefined {
  const rel = relative(root, dirname(abs));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  let at = root;
  for (const part of rel.split(sep)) {
    at = `${at}${sep}${part}`;
    try {
      if (lstatSync(at).isSymbolicLink()) return at;
    } catch {
      return undefined;
    }
  }
  return undefined;
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
