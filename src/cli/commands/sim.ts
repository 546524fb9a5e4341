import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serveSim } from '../../sim/serve.js';
import { SIM_AUTH_DEFAULTS } from '../../sim/token-server.js';
import { line, type CliIo } from '../io.js';

/** Starts the embedded simulator and keeps it running until Ctrl-C. */
export async function simCommand(io: CliIo, opts: { scenario: string; port: number; host: string }): Promise<number> {
  const sim = await serveSim({ scenario: opts.scenario, port: opts.port, host: opts.host, cwd: io.cwd });
  // Listening before anything is printed: a Ctrl-C that follows the first line at once (a script, a test) would
  // otherwise meet the default action, which ends the process before the certificate below is removed.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  line(io.stdout, `Partner Center simulator (scenario "${opts.scenario}") listening on ${sim.url}`);
  line(io.stdout, 'Point pcsync at it from another shell:');
  line(io.stdout, `  export PARTNER_CENTER_ENDPOINT=${sim.url}`);
  line(io.stdout, '  export PARTNER_CENTER_TOKEN=sim');
  // Or sign in as against a real tenant: msal, the simulator's HTTPS token endpoint, its certificate trusted for loopback only.
  const caFile = writeCaFile(sim.auth.ca);
  line(io.stdout, 'Or sign in through its token endpoint with msal, as against a real tenant (without PARTNER_CENTER_TOKEN):');
  line(io.stdout, `  export PARTNER_CENTER_AUTHORITY=${sim.auth.url} PARTNER_CENTER_AUTHORITY_CA=${caFile}`);
  line(io.stdout, `  export PARTNER_CENTER_TENANT_ID=${sim.auth.tenantId} PARTNER_CENTER_CLIENT_ID=${sim.auth.clientId}`);
  line(io.stdout, `  export PARTNER_CENTER_CLIENT_SECRET=${SIM_AUTH_DEFAULTS.clientSecret} PARTNER_CENTER_REFRESH_TOKEN=${SIM_AUTH_DEFAULTS.refreshToken}`);
  line(io.stdout, `Audit log: ${sim.url}/_sim/audit   State: ${sim.url}/_sim/state   Stop: Ctrl-C`);
  await stopped;
  try {
    await sim.close();
  } finally {
    // the certificate goes whatever closing the servers did (a failed close left it behind)
    rmSync(dirname(caFile), { recursive: true, force: true });
  }
  return 0;
}

/**
 * The simulator's CA certificate, in a fresh private directory (mkdtemp: unpredictable name, mode 0700) and
 * created exclusively (`wx`): no other user can plant a symlink there for the write to follow.
 */
function writeCaFile(pem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-sim-'));
  const file = join(dir, 'ca.pem');
  writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
  return file;
}
