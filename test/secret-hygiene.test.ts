import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { runCli, startSim, type CliResult, type StartedSim } from './helpers/sim.js';
import { msalEnv } from './helpers/auth.js';
import { CONTOSO, repoRoot } from './helpers/demo.js';
import { connect } from '../src/cli/connect.js';
import { readAuthSettings } from '../src/partner-center/auth-config.js';
import { providerFor } from '../src/partner-center/auth-provider.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

const CLIENT_SECRET = 'S3CRET-client-9f8e7d6c5b4a';
const REFRESH_TOKEN = 'R3FRESH-token-1a2b3c4d5e6f';
const STATIC_TOKEN = 'ST4TIC-token-7a8b9c0d1e2f';
const WRONG_SECRET = 'WR0NG-client-secret-0f1e2d';
const WRONG_REFRESH = 'WR0NG-refresh-token-3c4b5a';
/** JWT-shaped, so the simulator checks and refuses it (401). */
const FORGED_JWT = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"aud":"x","marker":"F0RGED"}').toString('base64url')}.c2lnbmF0dXJl`;
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, STATIC_TOKEN, WRONG_SECRET, WRONG_REFRESH, FORGED_JWT];
/** Any access token the simulator issued (JWTs start with a base64url `{"`). */
const ISSUED_TOKEN = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function expectClean(where: string, text: string): void {
  for (const s of SECRETS) expect(text.includes(s), `${where} contains a secret (${s.slice(0, 6)}…)`).toBe(false);
  expect(ISSUED_TOKEN.test(text), `${where} contains an access token`).toBe(false);
}

describe('secret hygiene: no secret or token in output, files or errors', () => {
  it('plan, apply, doctor, report, import and failing sign-ins never show a secret', async () => {
    sim = await startSim({ scenario: 'demo', auth: { clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN } });
    const cwd = mkdtempSync(join(tmpdir(), 'pcsync-secrets-'));
    cpSync(join(repoRoot, 'desired-state'), join(cwd, 'desired-state'), { recursive: true });
    const dir = 'desired-state';
    const good = msalEnv(sim, { clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN });
    const runs: [string, string[], Record<string, string | undefined>, number][] = [
      ['plan (msal)', ['plan', '--dir', dir, '--out', 'plan.json', '--format', 'json'], good, 2],
      ['report (msal)', ['report', '--format', 'json'], good, 0],
      ['import (msal)', ['import', '--customer', CONTOSO, '--out', 'imported.yaml'], good, 0],
      ['apply (msal)', ['apply', 'plan.json', '--dir', dir, '--json'], good, 0],
      ['doctor (msal)', ['doctor'], good, 0],
      ['plan (static token)', ['plan', '--dir', dir], { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: STATIC_TOKEN }, 0],
      ['doctor (static token)', ['doctor'], { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: STATIC_TOKEN }, 0],
      ['plan (wrong client secret)', ['plan', '--dir', dir], msalEnv(sim, { clientSecret: WRONG_SECRET, refreshToken: REFRESH_TOKEN }), 1],
      ['plan (wrong refresh token)', ['plan', '--dir', dir], msalEnv(sim, { refreshToken: WRONG_REFRESH }), 1],
      ['doctor (wrong both)', ['doctor'], msalEnv(sim, { clientSecret: WRONG_SECRET, refreshToken: WRONG_REFRESH }), 1],
      ['plan (token refused)', ['plan', '--dir', dir], { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: FORGED_JWT }, 1],
      ['apply (ambiguous config)', ['apply', '--auto-approve', '--dir', dir], { ...good, PARTNER_CENTER_TOKEN: STATIC_TOKEN }, 1],
    ];
    const results: [string, CliResult][] = [];
    for (const [name, args, env, code] of runs) {
      const res = await runCli(args, { env, cwd });
      expect([name, res.code], `${name}\n${res.stdout}\n${res.stderr}`).toEqual([name, code]);
      results.push([name, res]);
    }
    // the failures failed for the reason under test (so the outputs checked are the interesting ones)
    const stderrOf = (name: string) => results.find(([n]) => n === name)![1].stderr;
    expect(stderrOf('plan (wrong client secret)')).toMatch(/client secret was rejected/);
    expect(stderrOf('plan (wrong refresh token)')).toMatch(/refresh token was rejected/);
    expect(stderrOf('plan (token refused)')).toMatch(/HTTP 401|did not accept the access token/);
    for (const [name, res] of results) {
      expectClean(`${name} stdout`, res.stdout);
      expectClean(`${name} stderr`, res.stderr);
    }
    const files = filesUnder(cwd);
    expect(files.filter((f) => /plan\.json$|imported\.yaml$/.test(f))).toHaveLength(2);
    for (const f of files) expectClean(f, readFileSync(f, 'utf8'));
  });

  it('errors thrown in-process carry no secret in message, stack, inspect or JSON', async () => {
    sim = await startSim({ scenario: 'demo', auth: { clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN } });
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) => p.then(() => expect.fail('expected a failure'), (e: unknown) => errors.push(e));
    const bad = providerFor(readAuthSettings(msalEnv(sim, { clientSecret: WRONG_SECRET, refreshToken: WRONG_REFRESH })).settings);
    await capture(bad.getToken('app'));
    await capture(bad.getToken('app+user'));
    const io = { stdout: () => {}, stderr: () => {}, cwd: process.cwd(), isTty: false };
    const refused = connect({ ...io, env: { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: FORGED_JWT } }, { readOnly: true });
    await capture(refused.client.listCustomers());
    const appOnly = connect({ ...io, env: msalEnv(sim, { clientSecret: CLIENT_SECRET }) }, { readOnly: true });
    await capture(appOnly.client.listUsers(CONTOSO));
    expect(errors).toHaveLength(4);
    for (const err of errors) {
      const e = err as Error;
      expectClean(`${e.name}`, [e.message, e.stack ?? '', inspect(e, { depth: 5 }), JSON.stringify(e)].join('\n'));
    }
    expectClean('providers', inspect([bad, refused, appOnly], { depth: 6 }) + JSON.stringify([bad, refused.client.calls]));
  });
});
