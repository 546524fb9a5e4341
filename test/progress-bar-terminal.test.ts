import { Writable } from 'node:stream';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { terminalProgressSink } from '../src/cli/progress-bar.js';
import type { ApplyEvent } from '../src/apply/events.js';

const COLUMNS = 60;

/** A 60-column terminal (xterm.js, headless) behind a TTY-looking stream; `screen()` is what a person would see. */
function terminal() {
  const term = new xterm.Terminal({ cols: COLUMNS, rows: 30, allowProposedApi: true, convertEol: true /* the tty line discipline turns \n into \r\n */ });
  const pending: Promise<void>[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        pending.push(new Promise((resolve) => term.write(String(chunk), resolve)));
        done();
      },
    }),
    { isTTY: true, columns: COLUMNS, rows: 30, cursorTo: undefined, moveCursor: undefined, clearLine: undefined },
  ) as unknown as NodeJS.WriteStream;
  const screen = async () => {
    await Promise.all(pending);
    const buf = term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < buf.length; i++) rows.push(buf.getLine(i)!.translateToString(true));
    return rows;
  };
  return { stream, screen };
}

const LONG = 'order 5c1e2f3a-0000-4000-8000-00000000abcd placed for 12 seats of Dynamics 365 for Sales Professional';

describe('apply progress on a terminal', () => {
  it('lines above the bar wrap intact, finished customers and order ids are shown, the bar counts actions', async () => {
    const { stream, screen } = terminal();
    const sink = terminalProgressSink(stream, false);
    const events: ApplyEvent[] = [
      { type: 'run-start', customers: 2, actions: 5 },
      { type: 'customer-start', customerId: 'c1', displayName: 'Contoso Ltd', actions: 3 },
      { type: 'action-end', customerId: 'c1', actionId: 'c1/purchase/sales-pro', kind: 'purchase', outcome: 'applied', message: LONG, durationMs: 5 },
      { type: 'action-end', customerId: 'c1', actionId: 'c1/reassign/a', kind: 'reassign', outcome: 'applied', message: 'moved', durationMs: 5 },
      { type: 'customer-end', customerId: 'c1', displayName: 'Contoso Ltd', outcome: 'applied', message: '2 action(s) applied', durationMs: 9 },
    ];
    for (const e of events) sink.emit(e);
    // cli-progress redraws (and flushes logged lines) on its own timer, 5 frames a second.
    await new Promise((r) => setTimeout(r, 600));
    const during = (await screen()).join('\n');
    // The wrapped purchase line, read back across its rows, is whole and names the customer, not its id (issue 23);
    // it breaks at spaces: every word is whole on one row.
    // Continuation rows start with the wrap marker (↳, issue 22: a wrapped row never starts like a line of its own).
    const rowsRead = during.split('\n').map((r) => r.replace(/^\s*↳ /, ''));
    expect(rowsRead.join(' ').replace(/\s+/g, ' ')).toContain(`Contoso Ltd · purchase/sales-pro: ${LONG}`);
    expect(during.split('\n').filter((r) => /^\s*↳ /.test(r)).length).toBeGreaterThan(0);
    const rows = during.split('\n');
    for (const word of LONG.split(' ')) expect(rows.some((r) => r.split(/\s+/).includes(word)), word).toBe(true);
    expect(during).toContain('[1/2] Contoso Ltd: applied');
    expect(during).toMatch(/2\/5 actions \| 1\/2 customers/);
    sink.emit({ type: 'run-end', durationMs: 10, outcomes: { applied: 1 } });
  });
});
