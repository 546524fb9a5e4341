import { accessSync, constants, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../core/errors.js';
import { inertText } from '../core/inert.js';
import { makeDirs } from '../core/write-file.js';

/**
 * `--out` names a file of one fixed kind whatever else the command prints: `plan --out` always saves the sealed
 * JSON plan that `apply` reads (`--format` only chooses what goes to stdout), `import --out` always writes a YAML
 * desired-state file. A name whose extension says otherwise (`plan --format markdown --out p.md`) is a mistake
 * the user would only find later — a JSON file called `.md`, or a customer file `validate` never reads — so it
 * is refused before anything is read or sent. A name without an extension is taken as written.
 */
export function checkOutName(flag: string, out: string | undefined, kind: { what: string; extensions: readonly string[]; hint: string }): void {
  if (out === undefined) return;
  if (out.trim() === '-' || out.trim() === '') {
    throw new UserError('cli.out-stdout', `${flag} ${JSON.stringify(out)}: ${flag} names a file (${kind.what}); stdout already carries what is printed. ${kind.hint} Nothing was read or sent.`);
  }
  const ext = extname(out).toLowerCase();
  if (ext === '' || kind.extensions.includes(ext)) return;
  throw new UserError('cli.out-extension', `${flag} ${out}: ${flag} always writes ${kind.what}, not what its "${ext}" name says; name it ${kind.extensions.map((e) => `*${e}`).join(' or ')}. ${kind.hint} Nothing was read or sent.`);
}

/** What `plan --out` writes. */
export const SEALED_PLAN = {
  what: 'the sealed JSON plan for pcsync apply (--format only chooses what is printed on stdout)',
  extensions: ['.json'],
  hint: 'For a markdown or text copy, redirect stdout: pcsync plan --format markdown --out plan.json > plan.md (or pcsync show plan.json --format markdown).',
} as const;

/** What `import --out` writes (for one customer). */
export const CUSTOMER_FILE = {
  what: 'a YAML desired-state file (pcsync reads desired-state/customers/*.yaml)',
  extensions: ['.yaml', '.yml'],
  hint: 'For example --out desired-state/customers/contoso.yaml.',
} as const;

/**
 * `--out` names a directory pcsync writes several files into (`import --all`): it must be a directory, or a path
 * where one can be made, and writable — checked (and made) before anything is read or sent, so a file, a device
 * (`/dev/null`) or an unwritable place is refused by name instead of failing after the reads.
 */
export function checkOutDir(flag: string, path: string, shown: string): void {
  const where = `${flag} ${inertText(shown)}`;
  let isDir: boolean | undefined;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    isDir = undefined;
  }
  if (isDir === false) throw new UserError('cli.out-not-directory', `${where}: not a directory; ${flag} names the folder the files are written into (it is made when missing). Nothing was read or sent.`);
  try {
    if (isDir === undefined) makeDirs(path);
    accessSync(path, constants.W_OK);
  } catch (err) {
    throw new UserError('cli.out-not-writable', `${where}: cannot write there (${inertText((err as Error).message)}). Name a folder you may write to. Nothing was read or sent.`);
  }
}

