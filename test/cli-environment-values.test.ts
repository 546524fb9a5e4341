import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runInProcess } from '../src/cli/program.js';
import { ENVIRONMENT } from '../src/cli/environment.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv, repoRoot } from './helpers/demo.js';

let sim: StartedSim;
beforeAll(async () => (sim = await startSim({ scenario: 'demo' })));
afterAll(async () => sim?.close());

/** `pcsync <args>` in this process with the demo's environment plus `extra`. */
async function pcsync(args: string[], extra: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), env: demoEnv(sim, extra), cwd: repoRoot, isTty: false };
  const code = await runInProcess(args, io);
  return { code, stdout, stderr };
}

describe('every numeric or choice variable is checked before anything is sent', () => {
  // [variables, the one named, what the message must say it accepts]
  const INVALID: [Record<string, string>, string, string][] = [
    [{ PCSYNC_TIMEOUT_MS: '3e9' }, 'PCSYNC_TIMEOUT_MS', 'a whole number from 1 to 2147483647'],
    [{ PCSYNC_TIMEOUT_MS: '3000000000' }, 'PCSYNC_TIMEOUT_MS', 'a whole number from 1 to 2147483647'],
    [{ PCSYNC_RATE_PER_MINUTE: '1e-9' }, 'PCSYNC_RATE_PER_MINUTE', '0 (no client-side limit) or a number from 1 to 1000000'],
    [{ PCSYNC_CUSTOMER_RATE_PER_MINUTE: '0.000000001' }, 'PCSYNC_CUSTOMER_RATE_PER_MINUTE', 'from 1 to 1000000'],
    [{ PCSYNC_MAX_RETRIES: '0x10' }, 'PCSYNC_MAX_RETRIES', 'a whole number from 0 to 100'],
    [{ PCSYNC_POLL_MS: '0x10' }, 'PCSYNC_POLL_MS', 'a whole number from 1 to 2147483647'],
    [{ PCSYNC_RETRY_BASE_MS: '60000' }, 'PCSYNC_RETRY_BASE_MS', 'a whole number from 0 to 30000'],
    [{ PCSYNC_CHANGE_TIMEOUT_MS: 'Infinity' }, 'PCSYNC_CHANGE_TIMEOUT_MS', 'a whole number from 0 to 2147483647'],
    [{ PCSYNC_HEAP: 'defualt' }, 'PCSYNC_HEAP', 'one of small, default'],
    [{ PCSYNC_LIMITER: 'singel' }, 'PCSYNC_LIMITER', 'one of per-class, single'],
    [{ PCSYNC_ADAPTIVE_RATE_PER_MINUTE: '600', PCSYNC_ADAPTIVE_MAX_PER_MINUTE: '300' }, 'PCSYNC_ADAPTIVE_MAX_PER_MINUTE', 'at least the adaptive start rate, 600'],
    [{ PCSYNC_RATE_PER_MINUTE: '500', PCSYNC_ADAPTIVE_MAX_PER_MINUTE: '900' }, 'PCSYNC_ADAPTIVE_MAX_PER_MINUTE', 'at least the adaptive start rate, 1000'],
    [{ PCSYNC_POLL_MS: '5000', PCSYNC_MAX_POLL_MS: '1000' }, 'PCSYNC_MAX_POLL_MS', 'at least PCSYNC_POLL_MS (5000)'],
  ];

  it.each(INVALID)('%o is refused naming %s and its range', async (vars, name, expected) => {
    const before = sim.audit.requests().length;
    const res = await pcsync(['apply', '--auto-approve'], vars);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^pcsync: ${name}="[^"\\n]{1,30}" is not valid: expected `));
    expect(res.stderr).toContain(expected);
    expect(res.stderr).toContain('Nothing was sent.');
    expect(sim.audit.requests().length).toBe(before);
  });

  it('a long or hostile value is shown short and inert', async () => {
    const res = await pcsync(['plan'], { PCSYNC_LIMITER: `\u001b]0;owned\u0007${'x'.repeat(200)}` });
    expect(res.code).toBe(1);
    expect(res.stderr).not.toMatch(/\u001b|\u0007|x{30}/);
    expect(res.stderr).toContain('PCSYNC_LIMITER="\\\\u001b]0;owned'); // escaped by inertText, then quoted
  });

  it('plain decimals in range, 0 for "no limit", and empty values are accepted', async () => {
    const res = await pcsync(['plan', '--format', 'json'], { PCSYNC_RATE_PER_MINUTE: '0', PCSYNC_TIMEOUT_MS: ' 2147483647 ', PCSYNC_HEAP: '', PCSYNC_MAX_POLL_MS: '' });
    expect([res.code, res.stderr]).toEqual([2, '']);
  });

  it('the real CLI refuses a misspelt PCSYNC_HEAP (read before anything else loads) with exit 1 and no stack', async () => {
    const res = await runCli(['plan'], { env: demoEnv(sim, { PCSYNC_HEAP: 'Default ' }) });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`pcsync: PCSYNC_HEAP="Default" is not valid: expected one of small, default — small (the default) makes V8 grow the heap conservatively; default keeps Node's own heap sizing. Nothing was sent.\n`);
  });
});

describe('numeric command-line options take plain decimals too (other members of the kind)', () => {
  it.each([['plan', '--width', '0x50'], ['plan', '--width', '8e1'], ['sim', '--port', '0x1F90']])('%s %s %s is refused', async (...args) => {
    const res = await pcsync(args, {});
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/expected a (number of columns|port number)/);
  });
});

/** Every environment variable the code reads: `env.NAME`, and names in string literals of the known prefixes. */
function variablesReadBySource(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (!['sim', 'bench'].includes(entry)) walk(path); // the simulator and `npm run bench` are not pcsync's CLI
        continue;
      }
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
      for (const m of text.matchAll(/['"`]((?:PCSYNC|PARTNER_CENTER|GITHUB|ACTIONS)_[A-Z0-9_]+)['"`]/g)) names.add(m[1]!);
    }
  };
  walk(join(repoRoot, 'src'));
  names.delete('PCSYNC_TEST_JOURNAL_ENOSPC_AFTER'); // a fault switch of the test suite, not configuration
  // names of GitHub secrets `init` writes into the plan workflow, not variables pcsync reads
  names.delete('PARTNER_CENTER_READER_CLIENT_ID');
  names.delete('PARTNER_CENTER_READER_REFRESH_TOKEN');
  return names;
}

describe('pcsync --help and the README list every variable pcsync reads', () => {
  const listed = new Set(ENVIRONMENT.flatMap(([names, meaning]) => [...names.split(', '), ...(meaning.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? [])]));

  it('the help registry names every variable the source reads', () => {
    const read = [...variablesReadBySource()];
    expect(read.length).toBeGreaterThan(25);
    expect(read.filter((n) => !listed.has(n))).toEqual([]);
  });

  it('--help prints each of them, and the README configuration table has a row for each', async () => {
    const help = await pcsync(['--help'], {});
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Rate limits'));
    for (const name of variablesReadBySource()) {
      expect(help.stdout, name).toContain(name);
      expect(table, name).toMatch(new RegExp(`^\\| [^|]*\`${name}\``, 'm'));
    }
  });
});
