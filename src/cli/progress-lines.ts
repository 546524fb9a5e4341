import type { ApplyEvent } from '../apply/events.js';
import { inertText as v, redactSecrets } from '../core/inert.js';
import type { Style } from '../render/style.js';

type ActionEnd = Extract<ApplyEvent, { type: 'action-end' }>;
type CustomerEnd = Extract<ApplyEvent, { type: 'customer-end' }>;

/** `  ok   <action id>: <message>` — one finished action, as CI logs and the terminal both show it. */
export function actionLine(e: ActionEnd, s: Style): string {
  const mark = e.outcome === 'applied' || e.outcome === 'already-done' ? s.green('ok  ') : e.outcome.startsWith('failed') ? s.red('FAIL') : s.yellow('skip');
  return `  ${mark} ${v(e.actionId)}: ${v(redactSecrets(e.message ?? e.outcome))}`;
}

/** `[done/total] <customer>: <outcome> — <message>` — one finished customer. */
export function customerLine(e: CustomerEnd, done: number, total: number, s: Style): string {
  const outcome = e.outcome === 'applied' || e.outcome === 'already-done' ? s.green(e.outcome) : e.outcome.startsWith('failed') ? s.red(e.outcome) : s.yellow(e.outcome);
  return `[${done}/${total}] ${v(e.displayName)}: ${outcome}${e.message ? ` — ${v(redactSecrets(e.message))}` : ''}`;
}
