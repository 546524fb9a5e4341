import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/sim.js';

/**
 * `pcsync sim` wrote its CA certificate to `<tmp>/pcsync-sim-<port>-ca.pem`, a predictable name, following a
 * symlink planted there (overwriting the link's target). It now writes into a fresh private directory.
 */
describe('pcsync sim writes its CA certificate privately', () => {
  it('into a mkdtemp directory (0700), file 0600, never through a planted symlink; removed on exit', async () => {
    const victim = join(mkdtempSync(join(tmpdir(), 'pcsync-victim-')), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    // a port free a moment ago (a port derived from the pid was sometimes another test's ephemeral port: the sim
    // then exited on EADDRINUSE with nothing on stdout)
    const port = await freePort();
    const planted = join(tmpdir(), `pcsync-sim-${port}-ca.pem`);
    if (!existsSync(planted)) symlinkSync(victim, planted);

    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'main.js'), 'sim', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const ca = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no CA line in time:\n${out}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /PARTNER_CENTER_AUTHORITY_CA=(\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', () => reject(new Error(`sim exited:\n${out}\n${err}`)));
    });
    try {
      expect(ca).not.toBe(planted);
      expect(lstatSync(ca).isFile()).toBe(true);
      expect(readFileSync(ca, 'utf8')).toMatch(/BEGIN CERTIFICATE/);
      expect(statSync(ca).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(ca)).mode & 0o777).toBe(0o700);
      expect(dirname(ca)).not.toBe(tmpdir());
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    expect(existsSync(ca)).toBe(false);
  }, 60_000);
});

/** A TCP port on loopback that was free when asked (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
