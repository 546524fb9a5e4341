/** Process exit codes, as documented in the README and the design. */
export const ExitCode = {
  ok: 0,
  error: 1,
  changesPending: 2,
  blocked: 3,
  partial: 4,
  /** Stopped by Ctrl-C (128 + SIGINT), as shells expect; a SIGTERM stop exits 143 (apply/session.ts). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem the user can fix (bad input, missing configuration, a refused plan).
 * Already explained: the CLI prints the message, no stack, and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.error,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A bug in pcsync. The CLI says so and prints the stack. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}
