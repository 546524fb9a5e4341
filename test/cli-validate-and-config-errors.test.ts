import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/sim.js';
import { repoRoot } from './helpers/demo.js';

const LOCATION = /^(.+\.yaml):(\d+):(\d+): error: /;

describe('pcsync validate (real CLI)', () => {
  it('prints three file:line:col errors for a file with three mistakes and exits 1', async () => {
    const res = await runCli(['validate', 'test/fixtures/desired/three-mistakes'], { cwd: repoRoot });
    expect(res.code).toBe(1);
    const errors = res.stderr.split('\n').filter((l) => LOCATION.test(l));
    expect(errors).toHaveLength(3);
    expect(errors.map((l) => l.match(/\[(.+)\]$/)?.[1])).toEqual(['schema.unknown-key', 'schema.type', 'rule.unknown-handle']);
    expect(errors.map((l) => l.match(LOCATION)!.slice(2, 4).join(':'))).toEqual(['8:5', '12:12', '14:19']);
  });

  it('emits GitHub annotations with --format github and passes the example desired state', async () => {
    const bad = await runCli(['validate', 'test/fixtures/desired/three-mistakes', '--format', 'github'], { cwd: repoRoot });
    expect(bad.stderr.split('\n').filter((l) => l.startsWith('::error file='))).toHaveLength(3);
    const good = await runCli(['validate'], { cwd: repoRoot });
    expect(good.code, good.stdout + good.stderr).toBe(0);
  });
});

describe('configuration mistakes give a clear message, exit 1, no stack trace', () => {
  const cases: { name: string; args: string[]; env: Record<string, string | undefined>; message: RegExp }[] = [
    { name: 'plain http to a non-loopback host', args: ['plan', '--endpoint', 'http://pc.example.com'], env: { PARTNER_CENTER_TOKEN: 'x' }, message: /refusing plain http/ },
    { name: 'no token', args: ['plan'], env: { PARTNER_CENTER_TOKEN: undefined, PARTNER_CENTER_ENDPOINT: 'http://127.0.0.1:9' }, message: /PARTNER_CENTER_TOKEN/ },
    { name: 'endpoint not a URL', args: ['plan'], env: { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_ENDPOINT: 'not a url' }, message: /PARTNER_CENTER_ENDPOINT: "not a url" is not a URL/ },
    { name: 'unknown customer filter', args: ['plan', '--customer', '00000000-0000-4000-8000-000000000000'], env: { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_ENDPOINT: 'http://127.0.0.1:9' }, message: /no customer has this id, domain or file name/ },
    { name: 'apply without plan or --auto-approve', args: ['apply'], env: { PARTNER_CENTER_TOKEN: 'x' }, message: /--auto-approve/ },
    { name: 'unknown option', args: ['plan', '--bogus'], env: {}, message: /unknown option '--bogus'/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const res = await runCli(c.args, { cwd: repoRoot, env: c.env });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(c.message);
      expect(res.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
    });
  }
});
