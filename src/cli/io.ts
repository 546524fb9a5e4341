/** Where a command writes and what it reads from its environment; injected so the demo and tests run in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is an interactive terminal (live progress view). */
  readonly isTty: boolean;
  /** Columns of the terminal stdout writes to; undefined when it is not a terminal. */
  readonly columns?: number;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTty: Boolean(process.stderr.isTTY) && !process.env.CI,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/** Writes a line (adds the newline). */
export function line(write: (t: string) => void, text = ''): void {
  write(`${text}\n`);
}
