import cliProgress from 'cli-progress';
import type { ApplyEvent, EventSink } from '../apply/events.js';
import { inertText as v, redactSecrets } from '../core/inert.js';

/**
 * Live view on an interactive terminal (cli-progress): customers done / total, actions finished, the action
 * rate and an ETA. Failures and stale/blocked customers are printed above the bar so they stay visible.
 */
export function terminalProgressSink(stream: NodeJS.WriteStream): EventSink {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {value}/{total} customers | {actions}/{totalActions} actions | {rate} actions/min | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let actions = 0;
  let totalActions = 0;
  const rate = () => {
    const minutes = (Date.now() - started) / 60_000;
    return minutes > 0 ? Math.round(actions / minutes) : 0;
  };
  return {
    emit(e: ApplyEvent) {
      switch (e.type) {
        case 'run-start':
          started = Date.now();
          totalActions = e.actions;
          bar.start(e.customers, 0, { actions: 0, totalActions, rate: 0 });
          break;
        case 'action-end':
          actions++;
          bar.update({ actions, rate: rate() });
          break;
        case 'customer-end':
          if (e.outcome !== 'applied' && e.outcome !== 'already-done') {
            stream.write(`\r\x1b[K${v(e.displayName)} (${v(e.customerId)}): ${e.outcome}${e.message ? ` — ${v(redactSecrets(e.message))}` : ''}\n`);
          }
          bar.increment(1, { actions, rate: rate() });
          break;
        case 'run-end':
          bar.stop();
          break;
        default:
          break;
      }
    },
  };
}
