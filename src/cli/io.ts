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
  /**
   * Calls `listener` once when stdout or stderr can no longer be written (the reader went away: `| head`, a CI
   * log that closed; EPIPE). Returns the function that stops listening. Writes to a closed stream are dropped.
   */
  readonly onOutputClosed?: (listener: (stream: 'stdout' | 'stderr', code: string) => void) => () => void;
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
  const closed = watchClosed();
  const color = {
    stdout: colorFor(env, Boolean(process.stdout.isTTY) && !env.CI),
    stderr: colorFor(env, Boolean(process.stderr.isTTY) && !env.CI),
  };
  return {
    stdout: (t) => closed.write('stdout', guard(t, { allowStyle: color.stdout })),
    stderr: (t) => closed.write('stderr', guard(t, { allowStyle: color.stderr })),
    annotations: (t) => closed.write('stderr', guard(t, { workflowCommands: true })),
    status: (t) => closed.write('stderr', `${STATUS_START}${guard(t, { allowStyle: color.stderr })}${STATUS_END}`),
    onOutputClosed: closed.listen,
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

/**
 * stdout and stderr, watched for the reader going away. Node reports a failed write (EPIPE when the other end of a
 * pipe closed) as an 'error' event on the stream; without a listener it is an uncaught exception that kills pcsync
 * mid-apply. Here the first one marks the stream closed (later writes are dropped) and tells the listeners, so an
 * apply stops as on the first Ctrl-C: nothing new starts, running actions finish and are journaled, locks go.
 */
function watchClosed() {
  const streams = { stdout: process.stdout, stderr: process.stderr } as const;
  const closed = new Set<keyof typeof streams>();
  const listeners = new Set<(stream: keyof typeof streams, code: string) => void>();
  for (const name of ['stdout', 'stderr'] as const) {
    streams[name].on('error', (err: NodeJS.ErrnoException) => {
      if (closed.has(name)) return;
      closed.add(name);
      for (const l of [...listeners]) l(name, err.code ?? 'error');
    });
  }
  return {
    write(name: keyof typeof streams, text: string): void {
      if (!closed.has(name) && !streams[name].destroyed) streams[name].write(text);
    },
    listen(listener: (stream: keyof typeof streams, code: string) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** Writes a line (adds the newline). */
export function line(write: (t: string) => void, text = ''): void {
  write(`${text}\n`);
}
