import { extname } from 'node:path';
import { UserError } from '../core/errors.js';

/**
 * `--out` names a file of one fixed kind whatever else the command prints: `plan --out` always saves the sealed
 * JSON plan that `apply` reads (`--format` only chooses what goes to stdout), `import --out` always writes a YAML
 * desired-state file. A name whose extension says otherwise (`plan --format markdown --out p.md`) is a mistake
 * the user would only find later — a JSON file called `.md`, or a customer file `validate` never reads — so it
 * is refused before anything is read or sent. A name without an extension is taken as written.
 */
export function checkOutName(flag: string, out: string | undefined, kind: { what: string; extensions: readonly string[]; hint: string }): void {
  if (out === undefined) return;
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
