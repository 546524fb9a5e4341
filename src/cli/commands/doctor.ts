import { renderDoctor } from '../../doctor/render.js';
import { runDoctor } from '../../doctor/run.js';
import { ExitCode } from '../../core/errors.js';
import { AUTH_ENV, GITHUB_OIDC_ENV } from '../../partner-center/auth-config.js';
import { redact } from '../../partner-center/auth-errors.js';
import { endpointOf } from '../connect.js';
import type { CliIo } from '../io.js';

/** Checks configuration, signs in, makes one cheap read per mode and says what to fix. Exit 0 all good, 1 not. */
export async function doctorCommand(io: CliIo, opts: { endpoint?: string }): Promise<number> {
  const report = await runDoctor(io.env, () => endpointOf(io, opts.endpoint));
  // Nothing here is built from a secret; redacting them anyway keeps a future message from leaking one.
  const secrets = [io.env[AUTH_ENV.clientSecret], io.env[AUTH_ENV.refreshToken], io.env[AUTH_ENV.token], io.env[GITHUB_OIDC_ENV.token]];
  io.stdout(redact(renderDoctor(report), secrets));
  return report.ok ? ExitCode.ok : ExitCode.error;
}
