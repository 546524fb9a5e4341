import { colorFor } from './color.js';

/** Where a command writes and what it reads from its environment; injected so the demo and tests run in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is an interactive terminal (live progress view). */
  readonly isTty: boolean;
  /** ANSI colour per stream (see `colorFor`); absent = no colour. */
  readonly color?: { readonly stdout: boolean; readonly stderr: boolean };
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTty: Boolean(process.stderr.isTTY) && !process.env.CI,
    color: {
      stdout: colorFor(process.env, Boolean(process.stdout.isTTY) && !process.env.CI),
      stderr: colorFor(process.env, Boolean(process.stderr.isTTY) && !process.env.CI),
    },
  };
}

/** Writes a line (adds the newline). */
export function line(write: (t: string) => void, text = ''): void {
  write(`${text}\n`);
}
