import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { copyDesiredState, demoEnv, repoRoot } from './helpers/demo.js';
import { BAD_INPUT_CASES, BAD_PARTNER_CASES, corpus } from './helpers/bad-input.js';
import { MAX_FILE_BYTES } from '../src/desired/source-file.js';
import { sealPlanJson } from '../src/apply/plan-file.js';

/**
 * The real CLI on every file of the bad-input corpus, each run against its own simulator: a clear message naming
 * file, line and column (or the plan file), exit 1, and not one request to Partner Center.
 */
async function withSim<T>(fn: (sim: StartedSim) => Promise<T>): Promise<T> {
  const sim = await startSim({ scenario: 'demo' });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

const HEADER = 'apiVersion: pcsync/v1\nkind: Customer\ncustomer:\n  id: 8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d\n';

/** A desired-state directory holding `files` (relative path → content, or a corpus file name to copy). */
function desiredDir(files: Record<string, string | { corpus: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-bad-cli-'));
  mkdirSync(join(dir, 'customers'));
  for (const [rel, content] of Object.entries(files)) {
    if (typeof content === 'string') writeFileSync(join(dir, rel), content);
    else cpSync(join(corpus, content.corpus), join(dir, rel));
  }
  return dir;
}

/** Runs `plan` and `apply --auto-approve` in `dir`; both must stop with exit 1 and `expected` in stderr, sending nothing. */
async function refusedByBoth(dir: string, expected: readonly string[]): Promise<void> {
  const commands = [['plan', '--dir', '.'], ['apply', '--auto-approve', '--dir', '.']];
  await Promise.all(
    commands.map((args) =>
      withSim(async (sim) => {
        const res = await runCli(args, { env: demoEnv(sim), cwd: dir });
        expect(res.code, `${args[0]}: ${res.stdout}${res.stderr}`).toBe(1);
        for (const text of expected) expect(res.stderr, args[0]).toContain(text);
        expect(res.stderr).toContain('nothing was sent to Partner Center');
        expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(sim.audit.requests(), `${args[0]} sent a request`).toEqual([]);
      }),
    ),
  );
}

describe.concurrent('bad desired-state files: plan and apply refuse them before any request', () => {
  it.each(BAD_INPUT_CASES)('customers/$file → $code at $line:$column', async ({ file, code, line, column }) => {
    await refusedByBoth(desiredDir({ [`customers/${file}`]: { corpus: file } }), [`customers/${file}:${line}:${column}: error:`, `[${code}]`]);
  });

  it.each(BAD_PARTNER_CASES)('$file as pcsync.yaml → $code', async ({ file, code, line, column }) => {
    await refusedByBoth(desiredDir({ 'pcsync.yaml': { corpus: file }, 'customers/ok.yaml': HEADER }), [`pcsync.yaml:${line}:${column}: error:`, `[${code}]`]);
  });

  it('a file over 1 MiB is refused unread', async () => {
    await refusedByBoth(desiredDir({ 'customers/huge.yaml': `${HEADER}# ${'x'.repeat(MAX_FILE_BYTES)}\n` }), ['customers/huge.yaml:1:1: error:', '[file.too-large]']);
  });

  it('absurdly deep nesting is an error, not a crash', async () => {
    await refusedByBoth(desiredDir({ 'customers/deep.yaml': `${HEADER}subscriptions: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n` }), ['customers/deep.yaml:']);
  });

  it('the only two corpus files that are not mistakes: a UTF-8 BOM is read (and the run does talk to Partner Center), a JSON file is ignored with a warning', async () => {
    await withSim(async (sim) => {
      const bom = await runCli(['plan', '--dir', '.'], { env: demoEnv(sim), cwd: desiredDir({ 'customers/bom.yaml': { corpus: 'utf8-bom.yaml' } }) });
      expect(bom.code, bom.stderr).toBe(0);
      // nothing but the read-progress line a slow (loaded) machine may print after two seconds
      expect(bom.stderr.replace(/^Reading live state: .*\n/gm, '')).toBe('');
      expect(sim.audit.requests().length).toBeGreaterThan(0);
    });
    await withSim(async (sim) => {
      const json = await runCli(['plan', '--dir', '.'], { env: demoEnv(sim), cwd: desiredDir({ 'customers/not-yaml.json': { corpus: 'not-yaml.json' } }) });
      expect(json.code).toBe(0);
      expect(json.stderr).toContain('warning: no customer files (*.yaml)');
      expect(json.stderr).toContain('[file.no-customers]');
      expect(sim.audit.requests()).toEqual([]);
    });
  });
});

describe.concurrent('bad plan files: apply plan.json refuses them before any request', () => {
  let planText: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-plan-'));
    const made = await withSim((sim) => runCli(['plan', '--out', join(dir, 'plan.json')], { env: demoEnv(sim), cwd: repoRoot }));
    expect(made.code, made.stderr).toBe(2);
    planText = readFileSync(join(dir, 'plan.json'), 'utf8');
  });

  /** Runs `apply <file>` against a fresh simulator and checks nothing was sent; returns the CLI result. */
  const applyNothingSent = (args: string[]) =>
    withSim(async (sim) => {
      const res = await runCli(['apply', ...args], { env: demoEnv(sim), cwd: repoRoot });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(sim.audit.requests()).toEqual([]);
      return res;
    });

  /** Each case turns the good plan file's text into a bad one; `seal` re-seals it, as if pcsync had written it. */
  const edit = (change: (plan: Record<string, unknown>) => unknown) => (text: string) => JSON.stringify(change(JSON.parse(text) as Record<string, unknown>));
  const seal = (change: (plan: Record<string, unknown>) => unknown) => (text: string) => sealPlanJson(edit(change)(text));
  const cases: { name: string; make: (planText: string) => string; message: RegExp }[] = [
    { name: 'a plan from another format version', make: edit((p) => ({ ...p, formatVersion: 4 })), message: /plan format version 4 is not supported: this pcsync reads version 3\. Nothing was sent\. Run pcsync plan --out again with this pcsync/ },
    {
      name: 'a version-1 plan (every retirement stored as "suspend")',
      make: () => readFileSync(new URL('./fixtures/plan/format-v1.plan.json', import.meta.url), 'utf8'),
      message: /plan format version 1 is not supported: it was made by an older pcsync \(version 1 stored every retirement as kind "suspend".*\)\. Nothing was sent\. Run pcsync plan --out again/,
    },
    { name: 'a plan without a format version', make: edit(({ formatVersion: _, ...p }) => p), message: /has no plan format version \(formatVersion\): this pcsync reads version 3/ },
    { name: 'a plan whose format version is the string "3"', make: edit((p) => ({ ...p, formatVersion: '3' })), message: /plan format version "3" is not supported: this pcsync reads version 3/ },
    { name: 'garbage bytes', make: () => '\u0000\u00ff garbage {{{', message: /not valid JSON/ },
    { name: 'an empty file', make: () => '', message: /not valid JSON/ },
    { name: 'JSON null', make: () => 'null', message: /not a pcsync plan \(expected a JSON object\)/ },
    { name: 'a JSON list', make: () => '[1,2,3]', message: /not a pcsync plan \(expected a JSON object\)/ },
    { name: 'one action edited by hand', make: edit((p) => ({ ...p, customers: (p.customers as { actions: unknown[] }[]).map((c) => ({ ...c, actions: c.actions.slice(1) })) })), message: /was changed after pcsync saved it/ },
    { name: 'sealed, but customers are not a list', make: seal((p) => ({ ...p, customers: 'all of them' })), message: /not a pcsync plan \(customers with their actions are missing or malformed\)/ },
    { name: 'sealed, but a customer has no actions', make: seal((p) => ({ ...p, customers: [{ customerId: 'x', blockers: [] }] })), message: /not a pcsync plan/ },
    { name: 'sealed, made from other desired state', make: seal((p) => ({ ...p, desiredHash: 'sha256:0000' })), message: /was made from different desired state than desired-state has now; run plan again/ },
  ];

  it.each(cases)('$name', async ({ make, message }) => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-badplan-'));
    const file = join(dir, 'plan.json');
    writeFileSync(file, make(planText));
    const res = await applyNothingSent([file]);
    expect(res.stderr.startsWith(`pcsync: ${file}`)).toBe(true);
    expect(res.stderr).toMatch(message);
  });

  it('a missing plan file', async () => {
    const res = await applyNothingSent(['no-such-plan.json']);
    expect(res.stderr).toBe('pcsync: no-such-plan.json: file not found.\n');
  });

  it('a good plan with bad desired state beside it is refused by the desired state, before any request', async () => {
    const dir = copyDesiredState((f) => (f['customers/contoso.yaml'] = f['customers/contoso.yaml']!.replace('quantity: auto', 'quantity: auto\n    quantity: 5')));
    const file = join(dir, 'plan.json');
    writeFileSync(file, planText);
    const res = await applyNothingSent([file, '--dir', dir]);
    expect(res.stderr).toMatch(/customers\/contoso\.yaml:\d+:\d+: error: .*\[yaml\.duplicate-key\]/);
  });
});
