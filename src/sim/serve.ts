import { UserError } from '../core/errors.js';
import { loadScenario } from './scenarios/index.js';
import { isTenantFile, loadTenantFile } from './scenarios/tenant-file.js';
import { startSim, type StartedSim } from './server.js';

/** `pcsync sim`: a built-in scenario on a fixed port; a busy or forbidden port is a UserError. */
export async function serveSim(opts: { scenario: string; port: number; host?: string; cwd?: string }): Promise<StartedSim> {
  const scenario = isTenantFile(opts.scenario) ? loadTenantFile(opts.scenario, opts.cwd ?? process.cwd()) : loadScenario(opts.scenario);
  const host = opts.host ?? '127.0.0.1';
  try {
    return await startSim({ scenario, port: opts.port, host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError('sim.port', `Port ${opts.port} on ${host} is already in use; pick another with --port.`);
    if (code === 'EACCES') throw new UserError('sim.port', `Not allowed to listen on port ${opts.port} on ${host}; pick a port above 1024.`);
    if (code === 'EADDRNOTAVAIL') throw new UserError('sim.host', `Cannot listen on ${host}: no such local address.`);
    throw err;
  }
}
