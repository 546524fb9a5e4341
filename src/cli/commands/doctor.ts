import { renderDoctor } from '../../doctor/render.js';
import { runDoctor } from '../../doctor/run.js';
import { ExitCode } from '../../core/errors.js';
import { credentialValues } from '../../core/inert.js';
import { redact } from '../../partner-center/auth-errors.js';
import { endpointOf } from '../connect.js';
import type { CliIo } from '../io.js';

/** Checks configuration, signs in, makes one cheap read per mode and says what to fix. Exit 0 all good, 1 not. */
export async function doctorCommand(io: CliIo, opts: { endpoint?: string }): Promise<number> {
  const report = await runDoctor(io.env, () => endpointOf(io, opts.endpoint));
  // Nothing here is built from a secret; redacting them anyway keeps a future message from leaking one.
  io.stdout(redact(renderDoctor(report), credentialValues(io.env)));
  return report.ok ? ExitCode.ok : ExitCode.error;
}
