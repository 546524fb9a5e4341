import type { ApplyEvent } from '../apply/events.js';
import { inertText as v, redactSecrets } from '../core/inert.js';
import type { Style } from '../render/style.js';

type ActionEnd = Extract<ApplyEvent, { type: 'action-end' }>;
type CustomerEnd = Extract<ApplyEvent, { type: 'customer-end' }>;

/**
 * `  ok   Contoso Ltd · purchase/sales-pro: <message>` — one finished action, as CI logs and the terminal both show
 * it, named by its customer's name (`name`, from the customer-start event) rather than the tenant id its id starts with.
 */
export function actionLine(e: ActionEnd, s: Style, name?: string): string {
  const mark = e.outcome === 'applied' || e.outcome === 'already-done' ? s.green('ok  ') : e.outcome.startsWith('failed') ? s.red('FAIL') : s.yellow('skip');
  const prefix = `${e.customerId}/`;
  const what = name !== undefined && e.actionId.startsWith(prefix) ? `${v(name)} · ${v(e.actionId.slice(prefix.length))}` : v(e.actionId);
  return `  ${mark} ${what}: ${v(redactSecrets(e.message ?? e.outcome))}`;
}

/** Customer names by id, learned from customer-start events, for the lines of their actions. */
export function customerNames(): { learn(e: ApplyEvent): void; of(customerId: string): string | undefined } {
  const names = new Map<string, string>();
  return {
    learn: (e) => {
      if (e.type === 'customer-start') names.set(e.customerId, e.displayName);
      if (e.type === 'customer-end') names.delete(e.customerId);
    },
    of: (id) => names.get(id),
  };
}

/** `[done/total] <customer>: <outcome> — <message>` — one finished customer. */
export function customerLine(e: CustomerEnd, done: number, total: number, s: Style): string {
  const outcome = e.outcome === 'applied' || e.outcome === 'already-done' ? s.green(e.outcome) : e.outcome.startsWith('failed') ? s.red(e.outcome) : s.yellow(e.outcome);
  return `[${done}/${total}] ${v(e.displayName)}: ${outcome}${e.message ? ` — ${v(redactSecrets(e.message))}` : ''}`;
}
