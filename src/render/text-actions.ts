import type { Action, ReassignAction } from '../plan/types.js';
import type { Style } from './style.js';

/** How one action is drawn: symbol, verb, what it does, and the reason underneath. */
export function actionLines(a: Action, s: Style): string[] {
  const line = `  ${head(a, s)}  ${describeAction(a)}${irreversible(a, s)}`;
  return [line, s.dim(`        ${a.reasonText}`)];
}

/** With users hidden: reassigns of the same licences collapse into one counted line. */
export function reassignGroupLines(actions: readonly ReassignAction[], s: Style): string[] {
  const groups = new Map<string, number>();
  for (const a of actions) {
    const key = describeChange(a);
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `  ${s.yellow('~ reassign')}  ${n} user(s): ${key}`);
}

function head(a: Action, s: Style): string {
  switch (a.kind) {
    case 'purchase':
      return s.green('+ purchase');
    case 'await-provisioning':
      return s.cyan('… await   ');
    case 'reassign':
      return s.yellow('~ reassign');
    case 'suspend':
      return s.red('! suspend ');
  }
}

/** What an action does, in one line with its concrete values (no styling). */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'purchase':
      return a.mode === 'new'
        ? `"${a.offerName}" (${a.handle}): new subscription, ${a.quantity} seat(s)`
        : `"${a.offerName}" (${a.handle}): raise quantity of ${a.observed.subscriptionId} from ${a.observed.quantity} to ${a.quantity}`;
    case 'await-provisioning':
      return `${a.handle}: wait until the new subscription is active with ${a.minAvailableUnits} seat(s) available (at most ${a.timeoutSeconds}s)`;
    case 'reassign':
      return `${a.upn}: ${describeChange(a)}`;
    case 'suspend':
      return `"${a.offerName}" (${a.handle}, subscription ${a.subscriptionId})`;
  }
}

/** A reassign's licence change: `assign "New", remove "Old"`. */
export function describeChange(a: ReassignAction): string {
  const parts: string[] = [];
  if (a.assignSkuId) parts.push(`assign "${a.assignName ?? a.assignSkuId}"`);
  a.removeSkuIds.forEach((sku, i) => parts.push(`remove "${a.removeNames?.[i] ?? sku}"`));
  return parts.join(', ');
}

/** What irreversible means is said once, in the summary. */
function irreversible(a: Action, s: Style): string {
  return a.irreversible ? s.red('  [irreversible]') : '';
}
