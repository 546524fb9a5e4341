import { spawn } from 'node:child_process';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { hostileScenario } from './helpers/hostile.js';

/**
 * Issue 22, kind 5: on a terminal, the read-progress line is redrawn in place with pcsync's own carriage return
 * and clear-line, while live text stays escaped. Run on a real pseudo-terminal: util-linux `script` gives the
 * CLI a pty for stdin, stdout and stderr (so `isTTY` is true, as for a person at a terminal), and what it wrote is
 * replayed into a terminal emulator (xterm.js, headless) to read the screen a person would see.
 */
let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Runs `pcsync <args>` on a pseudo-terminal; returns the raw bytes the terminal received and the exit code. */
function onPseudoTerminal(args: string[], env: Record<string, string>): Promise<{ code: number; raw: string }> {
  const base = { ...process.env, ...env, PCSYNC_CLI: join(repoRoot, 'dist', 'cli', 'main.js'), PCSYNC_ARGS: args.join(' ') } as Record<string, string | undefined>;
  // Not a CI run (pcsync shows no live view in CI), no forced or refused colour from the environment.
  for (const k of ['CI', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'NO_COLOR', 'FORCE_COLOR']) delete base[k];
  return new Promise((resolve, reject) => {
    // -q quiet, -e exit with the command's code, -f flush at once; the typescript file is /dev/null.
    const child = spawn('script', ['-qefc', 'stty cols 100 rows 40; exec "$PCSYNC_NODE" "$PCSYNC_CLI" $PCSYNC_ARGS', '/dev/null'], {
      env: { ...base, PCSYNC_NODE: process.execPath, TERM: 'xterm-256color' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let raw = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (raw += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (raw += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, raw }));
  });
}

/** The screen after `raw` was written to a 100-column terminal, and whether anything retitled it. */
async function screen(raw: string): Promise<{ rows: string[]; retitled: boolean }> {
  const term = new xterm.Terminal({ cols: 100, rows: 40, scrollback: 1000, allowProposedApi: true });
  let retitled = false;
  term.onTitleChange(() => (retitled = true));
  await new Promise<void>((r) => term.write(raw, r));
  const buf = term.buffer.active;
  const rows: string[] = [];
  for (let i = 0; i < buf.length; i++) rows.push(buf.getLine(i)!.translateToString(true));
  return { rows, retitled };
}

describe('the read-progress line on a pseudo-terminal', { timeout: 120_000 }, () => {
  it('is redrawn in place with real control sequences; none shows escaped, and live text still cannot control the terminal', async () => {
    sim = await startSim({ scenario: hostileScenario() });
    const res = await onPseudoTerminal(['plan', '--no-color'], demoEnv(sim));
    expect(res.code, res.raw).toBe(2);
    // pcsync's own sequences reached the terminal as sequences …
    expect(res.raw).toMatch(/\rReading live state: 2\/2 customers[^\n]*\u001b\[K/);
    const { rows, retitled } = await screen(res.raw);
    const text = rows.join('\n');
    // … so the screen shows the progress line, redrawn in place (one line, not one per update) …
    expect(rows.filter((r) => r.startsWith('Reading live state:'))).toHaveLength(1);
    expect(text).toMatch(/^Reading live state: 2\/2 customers/m);
    // … and nothing escaped of pcsync's own: no \u000d, no \u001b[K anywhere on the screen.
    expect(text).not.toContain('\\u000d');
    expect(text).not.toContain('\\u001b[K');
    // Live text is shown escaped, and it did not retitle the terminal.
    expect(rows.join('')).toContain('\\u001b]0;pwned\\u0007');
    expect(retitled).toBe(false);
  });
});
