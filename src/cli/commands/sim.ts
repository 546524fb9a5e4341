import { serveSim } from '../../sim/serve.js';
import { line, type CliIo } from '../io.js';

/** Starts the embedded simulator and keeps it running until Ctrl-C. */
export async function simCommand(io: CliIo, opts: { scenario: string; port: number; host: string }): Promise<number> {
  const sim = await serveSim({ scenario: opts.scenario, port: opts.port, host: opts.host });
  line(io.stdout, `Partner Center simulator (scenario "${opts.scenario}") listening on ${sim.url}`);
  line(io.stdout, 'Point pcsync at it from another shell:');
  line(io.stdout, `  export PARTNER_CENTER_ENDPOINT=${sim.url}`);
  line(io.stdout, '  export PARTNER_CENTER_TOKEN=sim');
  line(io.stdout, `Audit log: ${sim.url}/_sim/audit   State: ${sim.url}/_sim/state   Stop: Ctrl-C`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
