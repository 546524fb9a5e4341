import type { ApplyEvent, EventSink } from '../apply/events.js';
import { terminalProgressSink } from './progress-bar.js';
import { actionLine, customerLine, customerNames } from './progress-lines.js';
import { style } from '../render/style.js';
import type { CliIo } from './io.js';
import { BOUND_WORDS, type RunBound } from '../partner-center/concurrency.js';

/** `--json` → JSON lines on stdout; an interactive terminal → live bar; otherwise (CI, pipes) → one plain line per event. */
export function progressSink(io: CliIo, opts: { json?: boolean }): EventSink {
  if (opts.json) return jsonLinesSink(io);
  if (io.isTty) return terminalProgressSink(process.stderr, io.color?.stderr ?? false);
  return textProgressSink(io);
}

/** One JSON object per line on stdout (`--json`, or CI consumers). */
export function jsonLinesSink(io: CliIo): EventSink {
  return { emit: (e: ApplyEvent) => io.stdout(`${JSON.stringify({ ...e, at: new Date().toISOString() })}\n`) };
}

/** Plain progress lines on stderr: one per finished action and customer. */
export function textProgressSink(io: CliIo): EventSink {
  const s = style(io.color?.stderr ?? false);
  let done = 0;
  let total = 0;
  const names = customerNames();
  let bound: RunBound | undefined;
  return {
    emit(e: ApplyEvent) {
      names.learn(e);
      switch (e.type) {
        case 'run-start':
          total = e.customers;
          io.stderr(
            e.planning
              ? `Applying to ${e.customers} customer(s), each planned from live state as it starts (--auto-approve, no run-wide cap in policy)\n`
              : `Applying to ${e.customers} customer(s), ${e.actions} action(s)\n`,
          );
          break;
        case 'customer-in-sync':
          total--;
          break;
        case 'action-end':
          io.stderr(`${actionLine(e, s, names.of(e.customerId))}\n`);
          break;
        case 'customer-end':
          done++;
          io.stderr(`${customerLine(e, done, total, s)}\n`);
          break;
        case 'pace':
          // a line when what bounds the run changes, not each time the customers at once do
          if (e.bound !== bound) io.stderr(`Pace: ${e.customersAtOnce} customer(s) at once, bound by ${BOUND_WORDS[e.bound]}\n`);
          bound = e.bound;
          break;
        default:
          break;
      }
    },
  };
}
