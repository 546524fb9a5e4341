import { colorFor } from './color.js';
import { credentialValues, inertOutput, redactSecrets } from '../core/inert.js';

/** Where a command writes and what it reads from its environment; injected so the demo and tests run in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * GitHub workflow commands pcsync itself writes (validate's and plan's annotations), on stderr so results on
   * stdout stay clean. Absent → `stderr`. Everything else written to stdout/stderr has command-looking lines defused.
   */
  readonly annotations?: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is an interactive terminal (live progress view). */
  readonly isTty: boolean;
  /** Applied to what a command writes to files it does not return (the job summary): e.g. `--hide-users`. */
  readonly redact?: (text: string) => string;
  /** ANSI colour per stream (see `colorFor`); absent = no colour. */
  readonly color?: { readonly stdout: boolean; readonly stderr: boolean };
  /** Columns of the terminal stdout writes to; undefined when it is not a terminal. */
  readonly columns?: number;
  /**
   * A status line redrawn in place on the stderr terminal (only when `isTty`). `line` is text like any other (it
   * passes the boundary filter); the boundary itself adds pcsync's own carriage return and clear-to-end-of-line
   * around it. So the only control sequences that reach the terminal are the ones pcsync writes here, and no
   * text, whoever wrote it, can carry one through.
   */
  readonly status?: (line: string) => void;
}

/** Return to the start of the line, and clear what is left of the line after the text: the status line's own sequences. */
const STATUS_START = '\r';
const STATUS_END = '\u001b[K';

/**
 * The process's streams behind the output boundary: no configured credential, no bearer/secret-looking
 * fragment, no control or bidi character (other than newline and tab) and no workflow command that pcsync did
 * not mean to write ever leaves through them, whatever a renderer or an error message forgot.
 */
export function processIo(): CliIo {
  const env = process.env;
  const guard = outputGuard(env);
  const color = {
    stdout: colorFor(env, Boolean(process.stdout.isTTY) && !env.CI),
    stderr: colorFor(env, Boolean(process.stderr.isTTY) && !env.CI),
  };
  return {
    stdout: (t) => void process.stdout.write(guard(t, { allowStyle: color.stdout })),
    stderr: (t) => void process.stderr.write(guard(t, { allowStyle: color.stderr })),
    annotations: (t) => void process.stderr.write(guard(t, { workflowCommands: true })),
    status: (t) => void process.stderr.write(`${STATUS_START}${guard(t, { allowStyle: color.stderr })}${STATUS_END}`),
    env,
    cwd: process.cwd(),
    isTty: Boolean(process.stderr.isTTY) && !env.CI,
    color,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/** The boundary filter for text leaving pcsync (streams and files), for the credentials configured in `env`. */
export function outputGuard(env: Readonly<Record<string, string | undefined>>): (text: string, opts?: { workflowCommands?: boolean; allowStyle?: boolean }) => string {
  const secrets = credentialValues(env);
  return (text, opts = {}) => inertOutput(redactSecrets(text, secrets), opts);
}

/** Writes a line (adds the newline). */
export function line(write: (t: string) => void, text = ''): void {
  write(`${text}\n`);
}
