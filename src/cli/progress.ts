import type { ApplyEvent, EventSink } from '../apply/events.js';
import { terminalProgressSink } from './progress-bar.js';
import type { CliIo } from './io.js';
import { inertText as v } from '../core/inert.js';

/** `--json` → JSON lines on stdout; an interactive terminal → live bar; otherwise (CI, pipes) → one plain line per event. */
export function progressSink(io: CliIo, opts: { json?: boolean }): EventSink {
  if (opts.json) return jsonLinesSink(io);
  if (io.isTty) return terminalProgressSink(process.stderr);
  return textProgressSink(io);
}

/** One JSON object per line on stdout (`--json`, or CI consumers). */
export function jsonLinesSink(io: CliIo): EventSink {
  return { emit: (e: ApplyEvent) => io.stdout(`${JSON.stringify({ ...e, at: new Date().toISOString() })}\n`) };
}

/** Plain progress lines on stderr: one per finished action and customer. */
export function textProgressSink(io: CliIo): EventSink {
  let done = 0;
  let total = 0;
  return {
    emit(e: ApplyEvent) {
      switch (e.type) {
        case 'run-start':
          total = e.customers;
          io.stderr(`Applying to ${e.customers} customer(s), ${e.actions} action(s)\n`);
          break;
        case 'action-end':
          io.stderr(`  ${mark(e.outcome)} ${v(e.actionId)}: ${v(e.message ?? e.outcome)}\n`);
          break;
        case 'customer-end':
          done++;
          io.stderr(`[${done}/${total}] ${v(e.displayName)}: ${e.outcome}${e.message ? ` — ${v(e.message)}` : ''}\n`);
          break;
        default:
          break;
      }
    },
  };
}

function mark(outcome: string): string {
  if (outcome === 'applied' || outcome === 'already-done') return 'ok  ';
  if (outcome.startsWith('failed')) return 'FAIL';
  return 'skip';
}
