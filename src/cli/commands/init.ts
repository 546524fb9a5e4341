import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { makeDirs, refuseNonFile, writeFileNoFollow } from '../../core/write-file.js';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { GITIGNORE_LINES, SCHEMA_DIR, SCHEMA_FILES, scaffoldFiles } from '../../init/scaffold.js';
import { line, type CliIo } from '../io.js';
import { packageRoot, pcsyncVersion } from '../../core/version.js';

export interface InitOptions {
  /** The pcsync action the workflows use: `<owner>/<repo>@<40-hex commit>`. */
  readonly action?: string;
  readonly actionTag?: string;
  readonly hideUsers?: boolean;
  readonly federated?: boolean;
  readonly force?: boolean;
  /** A trial on this machine: no workflows, so no pinned action is needed. */
  readonly local?: boolean;
}

/** The package's `schemas/`. */
const packageSchemas = new URL('schemas/', packageRoot);
const PINNED_ACTION = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._/-]+)?@[0-9a-f]{40}$/;

/**
 * Scaffolds a partner repository in `dir`: desired-state/ (pcsync.yaml with a price source and a commented spend
 * cap, customers/, an example), the JSON Schemas the `$schema` comments point at, .gitignore lines for what pcsync
 * writes here (GITIGNORE_LINES), and the three workflows using the pinned action — or, with `local`, no workflows
 * and no action. Idempotent: files already as they would be written are left alone; a file that differs is refused
 * (nothing is written at all) unless `force`. Exit 0.
 */
export function initCommand(io: CliIo, dir: string, opts: InitOptions): number {
  const action = opts.action?.trim();
  if (opts.local && (action || opts.actionTag || opts.federated || opts.hideUsers)) {
    throw new UserError('init.local-and-action', '--local writes no workflows, so --action, --action-tag, --federated and --hide-users do not apply; run pcsync init again with --action <owner>/pcsync@<sha> when you add the workflows.');
  }
  if (!opts.local && (!action || !PINNED_ACTION.test(action))) {
    throw new UserError(
      'init.action',
      `${action ? `--action ${action} is not pinned to a commit.` : '--action is missing.'} Pass the pcsync action as --action <owner>/pcsync@<40-hex commit SHA> ` +
        '(the commit of the pcsync release you chose, e.g. from its releases page): a tag or branch can be moved to other code, a commit cannot. ' +
        'To try pcsync on this machine first, pcsync init --local writes everything but the workflows.',
    );
  }
  if (opts.actionTag !== undefined && !/^v?[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/.test(opts.actionTag)) {
    throw new UserError('init.action-tag', '--action-tag must be a plain release tag such as v1.2.3 (letters, digits, dots, dashes); it is written as a comment into the workflows.');
  }
  const root = resolve(io.cwd, dir);
  const files: Record<string, string> = {
    ...scaffoldFiles(opts.local ? undefined : { action: action!, actionTag: opts.actionTag ?? `v${pcsyncVersion()}`, hideUsers: opts.hideUsers ?? false, federated: opts.federated ?? false }),
    ...Object.fromEntries(SCHEMA_FILES.map((f) => [`${SCHEMA_DIR}/${f}`, readFileSync(new URL(f, packageSchemas), 'utf8')])),
  };
  const status = Object.entries(files).map(([path, text]) => ({ path, text, state: stateOf(join(root, path), text) }));
  const conflicts = status.filter((s) => s.state === 'differs');
  if (conflicts.length > 0 && !opts.force) {
    throw new UserError('init.exists', `${conflicts.map((c) => join(dir, c.path)).join(', ')} already exist${conflicts.length === 1 ? 's' : ''} with other content; nothing was written. Pass --force to overwrite ${conflicts.length === 1 ? 'it' : 'them'}.`);
  }
  for (const s of status.filter((x) => x.state !== 'same')) {
    const abs = join(root, s.path);
    makeDirs(dirname(abs));
    writeFileNoFollow(abs, s.text, join(dir, s.path));
  }
  const ignore = ensureIgnored(join(root, '.gitignore'));
  const count = (st: string) => status.filter((s) => s.state === st).length;
  line(io.stderr, `pcsync init ${relative(io.cwd, root) || '.'}: ${count('missing')} file(s) written, ${count('differs')} overwritten, ${count('same')} already up to date; .gitignore ${ignore}.`);
  if (opts.local) line(io.stderr, 'Local mode: no workflows written. Add them with pcsync init --action <owner>/pcsync@<40-hex commit> once you have tried it.');
  else line(io.stderr, 'Next: add the secrets and the partner-center environment (README: "Set up your partner repository"), then');
  line(io.stderr, '  pcsync import --all (or --customer <id or domain>) && pcsync validate && pcsync plan');
  return 0;
}

function stateOf(abs: string, text: string): 'missing' | 'same' | 'differs' {
  if (!existsSync(abs)) return 'missing';
  return readFileSync(abs, 'utf8') === text ? 'same' : 'differs';
}

/** Adds each of GITIGNORE_LINES that no line ignores yet (with or without a leading `/`); never rewrites the partner's own lines. */
function ensureIgnored(abs: string): string {
  refuseNonFile(abs, '.gitignore');
  const text = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
  const have = new Set((text ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l) && !(l === '.pcsync/' && have.has('.pcsync')));
  if (missing.length === 0) return `already ignores ${GITIGNORE_LINES.join(', ')}`;
  const prefix = text === undefined || text === '' || text.endsWith('\n') ? '' : '\n';
  appendFileSync(abs, `${prefix}# pcsync: apply's journal and locks, and the plan and logs it writes here (they name users; keep them out of git)\n${missing.join('\n')}\n`);
  return text === undefined ? 'written' : `now ignores ${missing.join(', ')}`;
}
