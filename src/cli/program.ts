import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, UserError } from '../core/errors.js';
import { inertText } from '../core/inert.js';
import { ApiError, ReadOnlyViolation } from '../partner-center/errors.js';
import { CredentialRefused, credentialFailure } from '../partner-center/auth-errors.js';
import { applyCommand } from './commands/apply.js';
import { undoCommand } from './commands/undo.js';
import { planCommand } from './commands/plan.js';
import { showCommand } from './commands/show.js';
import { RENDER_FORMATS, type RenderFormat } from '../render/index.js';
import { reportCommand } from './commands/report.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { doctorCommand } from './commands/doctor.js';
import { simCommand } from './commands/sim.js';
import { unlockCommand } from './commands/unlock.js';
import { validateCommand } from './commands/validate.js';
import { pcsyncVersion } from '../core/version.js';
import { parseShard } from './shard.js';
import { noColorFlag } from './color.js';
import { describeScenarios } from '../sim/scenarios/index.js';

const BUILT_IN_SCENARIOS = describeScenarios();
import { style } from '../render/style.js';
import type { CliIo } from './io.js';
import { checkEnvironment, environmentHelp } from './environment.js';

const HELP_FOOTER = `
${environmentHelp()}

Exit codes:
  plan:  0 no changes, 2 changes pending, 3 blocked, 1 error
  show:  0 shown, 1 error (unreadable or edited plan file)
  apply: 0 all applied, 4 partial (some customers failed, stale or blocked, or an error stopped the run), 1 error,
         130 stopped by Ctrl-C
  doctor: 0 all good, 1 something to fix; report, import: 0 done, 1 error
  report: also 1 when a read failed or was refused (the report is printed, unknown counts as "unknown");
  import: writes nothing (1) when it cannot tell who holds a retired licence or read the catalogue`;

/** Runs pcsync with `argv` (without node and script) and returns the exit code. Never throws for user mistakes. */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  const io: CliIo = noColorFlag(argv) ? { ...given, color: { stdout: false, stderr: false } } : given;
  let code: number = ExitCode.ok;
  try {
    // inside the try: building the program reads pcsync's own package.json, which an incomplete install lacks
    const program = buildProgram(io, (c) => (code = c));
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return reportError(io, err);
  }
}

function buildProgram(io: CliIo, setCode: (code: number) => void): Command {
  const program = new Command('pcsync')
    .description('Declarative reconciliation for Microsoft Partner Center: desired subscriptions and licences in git, planned, reviewed, applied.')
    .version(pcsyncVersion(), '-V, --version')
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1; FORCE_COLOR=1 forces them when piped)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', HELP_FOOTER)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .hook('preAction', () => checkEnvironment(io.env));

  const dirOption = () => new Option('-d, --dir <path>', 'desired-state directory').default('desired-state');
  const endpointOption = () => new Option('--endpoint <url>', 'Partner Center endpoint (overrides PARTNER_CENTER_ENDPOINT)');
  const stateDirOption = () => new Option('--state-dir <path>', 'where apply keeps its journal and customer locks (default .pcsync, or PCSYNC_STATE_DIR)');
  const customerOption = () => new Option('-c, --customer <customer...>', 'only these customers: a customer id, its domain, or its desired-state file name (repeatable)');
  const shardOption = () =>
    new Option('--shard <i/n>', 'only the customers of shard i of n (stable hash of the customer id), for a CI job matrix').argParser(parseShard);

  program
    .command('init')
    .description('scaffold a partner repository: desired-state/ (with prices), schemas/, .gitignore and the three workflows using the pinned pcsync action (--local: no workflows)')
    .argument('[dir]', 'repository directory (created if missing)', '.')
    .option('--action <owner/repo@sha>', 'the pcsync action the workflows use, pinned to a full 40-hex commit SHA')
    .option('--action-tag <tag>', 'the release that commit is, written beside the pin (default v<this pcsync version>)')
    .option('--hide-users', 'public repository: comments, summaries, logs and artefacts count users instead of naming them')
    .option('--federated', 'the app signs in with the runner\'s OIDC token (workload identity federation) instead of a client secret')
    .option('--force', 'overwrite files that differ from what init writes')
    .option('--local', 'a trial on this machine: everything but the workflows, so no --action is needed')
    .action((dir: string, o: { action?: string; actionTag?: string; hideUsers?: boolean; federated?: boolean; force?: boolean; local?: boolean }) => setCode(initCommand(io, dir, o)));

  program
    .command('validate')
    .description('check desired-state files (schema and cross-file rules); no network')
    .argument('[dir]', 'desired-state directory', 'desired-state')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'github', 'json']).default(io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text'))
    .action((dir: string, o: { format: 'text' | 'github' | 'json' }) => setCode(validateCommand(io, dir, o)));

  program
    .command('plan')
    .description('read live state and show what apply would change (read-only)')
    .addOption(dirOption())
    .addOption(customerOption())
    .addOption(shardOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(RENDER_FORMATS).default('text'))
    .option('-o, --out <file>', 'also save the sealed plan for pcsync apply <file>: always JSON (name it *.json), whatever --format prints')
    .option('--hide-users', 'show counts instead of user names')
    .option('--full-plan-link <url>', 'markdown: where the complete plan is (pcsync show output), linked when the comment is shortened')
    .option('--width <columns>', 'text: wrap at this many columns (default: the terminal width; no wrapping through a pipe)', parseWidth)
    .addOption(endpointOption())
    .action(async (o) =>
      setCode(await planCommand(io, { dir: o.dir, customers: o.customer, shard: o.shard, format: o.format, out: o.out, hideUsers: o.hideUsers, fullPlanLink: o.fullPlanLink, endpoint: o.endpoint, width: o.width ?? io.columns })),
    );

  program
    .command('undo')
    .description('plan to take back what an applied plan bought, inside the cancellation window: users back to their old licences, the purchase cancelled (read-only; review and apply it like any plan; exit 0 nothing to undo, 2 changes, 3 blocked or customers missing)')
    .argument('<applied-plan>', 'the sealed plan that was applied (plan --out; CI keeps it as the approved plan)')
    .addOption(dirOption())
    .addOption(customerOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(RENDER_FORMATS).default('text'))
    .option('-o, --out <file>', 'also save the sealed undo plan for pcsync apply <file> --approved-hash … (always JSON)')
    .option('--hide-users', 'show counts instead of user names')
    .option('--width <columns>', 'text: wrap at this many columns (default: the terminal width; no wrapping through a pipe)', parseWidth)
    .addOption(endpointOption())
    .action(async (file: string, o) =>
      setCode(await undoCommand(io, file, { dir: o.dir, customers: o.customer, format: o.format, out: o.out, hideUsers: o.hideUsers, endpoint: o.endpoint, width: o.width ?? io.columns })),
    );

  program
    .command('show')
    .description('render a saved plan completely: every customer and action, no size limit (no network)')
    .argument('<plan-file>', 'plan saved by pcsync plan --out')
    .addOption(new Option('-f, --format <format>', 'output format').choices(RENDER_FORMATS).default('text'))
    .option('--hide-users', 'show counts instead of user names')
    .option('--width <columns>', 'text: wrap at this many columns (default: the terminal width; no wrapping through a pipe)', parseWidth)
    .option('--comment', 'instead: the pull-request comment (markdown under 65,000 characters), as plan --format markdown')
    .option('--full-plan-link <url>', 'with --comment: where the complete rendering is, linked from the comment')
    .action((file: string, o: { format: RenderFormat; hideUsers?: boolean; width?: number; comment?: boolean; fullPlanLink?: string }) =>
      setCode(showCommand(io, file, { format: o.format, hideUsers: o.hideUsers, width: o.width ?? io.columns, comment: o.comment, fullPlanLink: o.fullPlanLink })),
    );

  program
    .command('apply')
    .description('apply a saved plan (each customer re-checked first), or plan and apply with --auto-approve')
    .argument('[plan-file]', 'plan saved by pcsync plan --out')
    .addOption(dirOption())
    .addOption(customerOption())
    .addOption(shardOption())
    .option('--auto-approve', 'plan and apply in one go, without a saved plan: each customer is read, planned and applied as it starts, and the plan applied is printed after the run (with a run-wide cap in policy, maxSeatsPerRun or maxSpendPerRun, the whole fleet is planned and printed first)')
    .option('--json', 'progress as one JSON event per line on stdout')
    .option('--approved-hash <hash>', 'refuse the plan file unless its actions, hashed again by apply, give this hash (the one reviewers approved)')
    .option('--resume', 'the plan file may have been started by an earlier run that left no journal (a lost CI runner): resume a customer it changed, if all that is left was approved, instead of refusing it as stale')
    .option('--hide-users', 'replace every user name in the output with [user] (for logs that are uploaded or public)')
    .addOption(endpointOption())
    .addOption(stateDirOption())
    .action(async (file: string | undefined, o) =>
      setCode(
        await applyCommand(io, file, {
          resume: o.resume,
          dir: o.dir,
          customers: o.customer,
          shard: o.shard,
          autoApprove: o.autoApprove,
          json: o.json,
          approvedHash: o.approvedHash,
          endpoint: o.endpoint,
          stateDir: o.stateDir,
          hideUsers: o.hideUsers,
        }),
      ),
    );

  program
    .command('unlock')
    .description('remove customer locks left by an apply that no longer runs (e.g. one on another machine)')
    .argument('<customer-id...>', 'customer ids to unlock')
    .addOption(stateDirOption())
    .action((ids: string[], o: { stateDir?: string }) => setCode(unlockCommand(io, ids, o)));

  program
    .command('sim')
    .description('run the embedded Partner Center simulator (for trying pcsync without a tenant)')
    .option('-s, --scenario <name|file>', `a built-in scenario (${BUILT_IN_SCENARIOS}) or a tenant file (.yaml/.json, kind: SimulatorTenant; see schemas/sim-tenant.schema.json)`, 'demo')
    .option('-p, --port <n>', 'port (0 = any free port)', parsePort, 7071)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(async (o: { scenario: string; port: number; host: string }) => setCode(await simCommand(io, o)));

  program
    .command('report')
    .description('list every customer on a retired CRM Basic subscription, most urgent first (read-only)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json', 'csv']).default('text'))
    .addOption(dirOption().default('desired-state', 'desired-state (only pcsync.yaml is read)'))
    .addOption(endpointOption())
    .option('--renewals', 'every active subscription instead: kind (legacy/new commerce), term, billing, term end, auto-renew, cancellation deadline and the risk that needs action, most urgent first')
    .option('--within <days>', 'with --renewals: only deadlines within this many days (e.g. 60d); rows without a date are kept (unknown, not far away)')
    .option('--waste', 'every billed subscription instead: seats paid, assigned and unassigned, the monthly cost of the unassigned ones (prices: in pcsync.yaml; unknown is never 0), the earliest day each can be reduced, fleet totals')
    .addOption(new Option('--now <iso-date>', 'count days from this moment (default PCSYNC_NOW, else now)').hideHelp())
    .action(async (o) => setCode(await reportCommand(io, { dir: o.dir, format: o.format, endpoint: o.endpoint, now: o.now, renewals: o.renewals, waste: o.waste, within: o.within })));

  program
    .command('import')
    .description("write a desired-state file for one customer (or every customer with --all) from live state: replacement, licence moves, retirement (read-only)")
    .option('-c, --customer <id or domain>', 'the customer: its (tenant) id or its domain (contoso.onmicrosoft.com)')
    .option('--all', 'every customer with a retired subscription in use: one file each, named after its domain, in --out (default <dir>/customers); existing files are skipped')
    .option('-o, --out <path>', 'one customer: write this file (e.g. desired-state/customers/contoso.yaml) instead of stdout; --all: the directory')
    .option('--force', 'overwrite existing files')
    .addOption(dirOption().default('desired-state', 'desired-state (only pcsync.yaml is read)'))
    .addOption(endpointOption())
    .addOption(new Option('--now <iso-date>', 'count days from this moment (default PCSYNC_NOW, else now)').hideHelp())
    .action(async (o) => setCode(await importCommand(io, { customer: o.customer, all: o.all, out: o.out, force: o.force, dir: o.dir, endpoint: o.endpoint, now: o.now })));

  program
    .command('doctor')
    .description('check credentials and connectivity: sign in with each configured mode, one cheap read each, and what to fix')
    .addOption(endpointOption())
    .action(async (o) => setCode(await doctorCommand(io, { endpoint: o.endpoint })));

  return program;
}

/** Plain decimal digits only, like the environment variables: `0x50` or `8e1` are refused, not read as 80. */
const wholeNumber = (value: string) => (/^\d+$/.test(value.trim()) ? Number(value) : NaN);

function parseWidth(value: string): number {
  const n = wholeNumber(value);
  if (!Number.isInteger(n) || n < 40 || n > 1000) throw new InvalidArgumentError('expected a number of columns, 40-1000.');
  return n;
}

function parsePort(value: string): number {
  const n = wholeNumber(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535.');
  return n;
}

/**
 * A file-system refusal (Node's errno errors carry `code`, `syscall` and usually `path`) is about this machine —
 * a path the user gave, its permissions, a full disk — not a pcsync bug: said in one line naming the path and what
 * the system answered, who must act (the user), no stack. `undefined` for anything else.
 */
function fileSystemError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code !== 'string' || typeof e.syscall !== 'string' || !/^E[A-Z]+$/.test(e.code)) return undefined;
  const where = e.path !== undefined ? ` ${inertText(e.path)}` : '';
  return `cannot ${e.syscall}${where}: ${e.code} (the system said: ${inertText(e.message)}). Check the path, that its folder exists and that you may write there; nothing more was written.`;
}

/** Maps errors to exit codes. User mistakes: message, no stack. Anything else is a bug and says so. */
export function reportError(io: CliIo, err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (or the help / version text).
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
  }
  if (err instanceof UserError) {
    io.stderr(`${style(io.color?.stderr ?? false).red('pcsync:')} ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof ApiError) {
    const credential = credentialFailure(err);
    io.stderr(`pcsync: ${credential ? new CredentialRefused(credential).message : `Partner Center request failed: ${err.userMessage}`}\n`);
    return ExitCode.error;
  }
  if (err instanceof ReadOnlyViolation) {
    io.stderr(`pcsync: internal safety stop: ${err.message}\n`);
    return ExitCode.error;
  }
  const local = fileSystemError(err);
  if (local) {
    io.stderr(`${style(io.color?.stderr ?? false).red('pcsync:')} ${local}\n`);
    return ExitCode.error;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  // the trace names the CLI bundle's files (scripts/bundle.mjs); the hint maps it back to pcsync's modules
  io.stderr(`pcsync: internal error (this is a bug in pcsync, please report it; NODE_OPTIONS=--enable-source-maps makes the trace name pcsync's modules):\n${stack}\n`);
  return ExitCode.error;
}
