import cliProgress from 'cli-progress';
import type { ApplyEvent, EventSink } from '../apply/events.js';
import { style } from '../render/style.js';
import { actionLine, customerLine, customerNames } from './progress-lines.js';
import { wrapText } from '../render/wrap.js';
import type { RunBound } from '../partner-center/concurrency.js';

/**
 * Live view on an interactive terminal (cli-progress): actions done / total with the ETA counted in actions
 * (customers differ widely in size), customers done, the action rate. Above the bar, the same lines as in CI:
 * each finished customer, each purchase (with its order) and every failed or skipped action. They are written
 * through `MultiBar.log`, which clears the bar first and redraws it below, so a line that wraps is neither cut
 * nor overwritten.
 */
export function terminalProgressSink(stream: NodeJS.WriteStream, color = true): EventSink {
  const s = style(color);
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: ' {bar} {value}/{total} actions | {customers}/{totalCustomers} customers | {rate} actions/min | ETA {eta_formatted}{pace}',
      hideCursor: true,
      clearOnComplete: false,
      // The rest of the line is about 60 characters: give the bar what is left, so the line never wraps.
      barsize: Math.max(10, Math.min(40, (stream.columns ?? 80) - 84)),
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  let actions = 0;
  let customers = 0;
  let totalCustomers = 0;
  let totalActions = 0;
  let planning = false;
  let pace = '';
  const rate = () => {
    const minutes = (Date.now() - started) / 60_000;
    return minutes > 0 ? Math.round(actions / minutes) : 0;
  };
  // cli-progress moves the cursor up one row per bar before it redraws; a logged line that wraps would be
  // overwritten by that, so lines are broken at the terminal width here.
  const log = (text: string) => multi.log(`${fitRows(text, stream.columns ?? 80).join('\n')}\n`);
  const names = customerNames();
  return {
    emit(e: ApplyEvent) {
      names.learn(e);
      switch (e.type) {
        case 'run-start':
          started = Date.now();
          totalCustomers = e.customers;
          planning = e.planning === true;
          totalActions = e.actions;
          bar = multi.create(Math.max(1, e.actions), 0, { customers: 0, totalCustomers, rate: 0, pace });
          break;
        case 'customer-start':
          // planned as it starts: the actions are known customer by customer
          if (planning && e.actions > 0) bar?.setTotal((totalActions += e.actions));
          break;
        case 'customer-in-sync':
          totalCustomers--;
          bar?.update(actions, { customers, totalCustomers, rate: rate(), pace });
          break;
        case 'action-end':
          actions++;
          if (e.kind === 'purchase' || e.outcome !== 'applied') log(actionLine(e, s, names.of(e.customerId)));
          bar?.update(actions, { customers, totalCustomers, rate: rate(), pace });
          break;
        case 'pace':
          pace = ` | ${e.customersAtOnce} at once, ${SHORT_BOUND[e.bound]}`;
          bar?.update(actions, { customers, totalCustomers, rate: rate(), pace });
          break;
        case 'customer-end':
          customers++;
          log(customerLine(e, customers, totalCustomers, s));
          bar?.update(actions, { customers, totalCustomers, rate: rate(), pace });
          break;
        case 'run-end':
          multi.stop();
          break;
        default:
          break;
      }
    },
  };
}

/** What bounds the run, in the few characters the bar has. */
const SHORT_BOUND: Record<RunBound, string> = { rate: 'bound by PC rate', provisioning: 'bound by provisioning', cap: 'bound by the cap', cpu: 'bound by CPU' };

/**
 * `text` as rows of at most `columns - 1` characters (escape sequences take no room), broken at spaces with the
 * continuation indented (render/wrap.ts); only a word longer than a row is cut.
 */
export function fitRows(text: string, columns: number): string[] {
  const width = Math.max(20, columns - 1);
  return wrapText(text, width).split('\n').flatMap((row) => cutRow(row, width));
}

/** A row cut every `width` visible characters. */
function cutRow(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  let visible = 0;
  for (const token of text.match(/\u001b\[[0-9;]*m|[^]/gsu) ?? []) {
    const printable = !token.startsWith('\u001b');
    if (printable && visible === width) {
      rows.push(row);
      row = '';
      visible = 0;
    }
    row += token;
    if (printable) visible++;
  }
  rows.push(row);
  return rows;
}
