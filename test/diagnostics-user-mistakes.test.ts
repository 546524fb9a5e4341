import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO, copyDesiredState, demoEnv } from './helpers/demo.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

/**
 * First-day mistakes, one cause each: every case must give exactly one diagnostic, with its code and the position
 * of the line that is wrong (not the subscription's name line, not the end of the file, no follow-on errors).
 */
const CONTOSO_FILE = 'customers/contoso.yaml';
const FABRIKAM_FILE = 'customers/fabrikam-gov.yaml';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly edit: (text: string) => string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
}

const sub = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`fixture text not found: ${from}`);
  return text.replace(from, to);
};

/** Offline: `pcsync validate` alone catches these (no endpoint is configured at all). */
const VALIDATE_CASES: readonly Case[] = [
  { name: 'misspelled offer', file: CONTOSO_FILE, edit: (t) => sub(t, 'offer: Dynamics 365 for Sales Professional', 'offer: Dynamics 365 Sales Professional'), code: 'rule.unknown-offer', line: 20, column: 12 },
  { name: 'misspelled key', file: CONTOSO_FILE, edit: (t) => sub(t, '    quantity: auto', '    quantiy: auto'), code: 'schema.unknown-key', line: 23, column: 5 },
  { name: 'tab indentation', file: CONTOSO_FILE, edit: (t) => sub(t, '    quantity: auto', '\tquantity: auto'), code: 'yaml.syntax', line: 23, column: 1 },
  { name: 'unclosed quote', file: CONTOSO_FILE, edit: (t) => sub(t, 'offer: Dynamics 365 for Sales Professional', 'offer: "Dynamics 365 for Sales Professional'), code: 'yaml.syntax', line: 20, column: 12 },
  { name: 'quantity below the users listed', file: FABRIKAM_FILE, edit: (t) => sub(t, '    quantity: auto', '    quantity: 2'), code: 'rule.quantity-below-users', line: 22, column: 15 },
  {
    name: 'duplicate user',
    file: FABRIKAM_FILE,
    edit: (t) => sub(t, 'jun@fabrikamgov.onmicrosoft.com]', 'jun@fabrikamgov.onmicrosoft.com, hana@fabrikamgov.onmicrosoft.com]'),
    code: 'rule.user-twice',
    line: 37,
    column: 114,
  },
];

function diagnosticsOf(stderr: string): { file: string; line: number; column: number; code: string }[] {
  return [...stderr.matchAll(/^(\S+):(\d+):(\d+): (?:error|warning): .* \[([\w.-]+)\]$/gm)].map((m) => ({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), code: m[4]! }));
}

describe('user mistakes: one diagnostic each, at the line that is wrong', () => {
  it.each(VALIDATE_CASES)('validate: $name → $code at $line:$column', async (c) => {
    const dir = copyDesiredState((files) => void (files[c.file] = c.edit(files[c.file]!)));
    const res = await runCli(['validate', '.'], { cwd: dir, env: { PARTNER_CENTER_ENDPOINT: undefined, PARTNER_CENTER_TOKEN: undefined } });
    expect(res.code, res.stderr).toBe(1);
    expect(diagnosticsOf(res.stderr)).toEqual([{ file: c.file, line: c.line, column: c.column, code: c.code }]);
  });

  describe('plan (live checks)', () => {
    let sim: StartedSim;
    beforeAll(async () => (sim = await startSim({ scenario: 'demo' })));
    afterAll(async () => sim?.close());

    const PLAN_CASES: readonly Case[] = [
      // Far from every catalogue name, so only the live catalogue can judge it; the from: users it would receive
      // are not also reported as "in no licenses entry".
      { name: 'offer in no catalogue', file: CONTOSO_FILE, edit: (t) => sub(t, 'offer: Dynamics 365 for Sales Professional', 'offer: Contoso Special CRM Bundle'), code: 'unknown-offer', line: 20, column: 12 },
      { name: 'domain of another customer', file: CONTOSO_FILE, edit: (t) => sub(t, 'domain: contoso.onmicrosoft.com', 'domain: fabrikam.onmicrosoft.com'), code: 'domain-mismatch', line: 13, column: 11 },
      { name: 'unknown customer id', file: CONTOSO_FILE, edit: (t) => sub(t, `id: ${CONTOSO}`, 'id: 00000000-0000-4000-8000-000000000001'), code: 'customer-not-found', line: 11, column: 7 },
    ];

    it.each(PLAN_CASES)('plan: $name → $code at $line:$column, nothing else', async (c) => {
      const dir = copyDesiredState((files) => void (files[c.file] = c.edit(files[c.file]!)));
      const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--customer', c.file.replace('customers/', '')], { env: demoEnv(sim) });
      if (res.code !== 3) throw new Error(res.stdout + res.stderr);
      expect(res.code, res.stderr).toBe(3);
      const plan = JSON.parse(res.stdout) as { customers: { blockers: { code: string; source?: { line: number; column: number } }[]; warnings: unknown[] }[] };
      const problems = plan.customers.flatMap((cu) => [...cu.blockers, ...(cu.warnings as typeof cu.blockers)]);
      expect(problems.map((p) => ({ code: p.code, line: p.source?.line, column: p.source?.column }))).toEqual([{ code: c.code, line: c.line, column: c.column }]);
    });
  });
});
