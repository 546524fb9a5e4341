import type { CustomerPlan, Plan } from '../plan/types.js';
import { inertText } from '../core/inert.js';

/** Every user principal name one customer's plan mentions (actions and problems), longest first so none hides in another. */
export function customerUsers(c: CustomerPlan): string[] {
  const upns = new Set<string>();
  for (const a of c.actions) if (a.kind === 'reassign') upns.add(a.upn);
  for (const p of [...c.blockers, ...c.warnings]) if (p.user) upns.add(p.user);
  return longestFirst(upns);
}

/** Every user principal name the whole plan mentions, longest first. */
export function planUsers(plan: Plan): string[] {
  return longestFirst(new Set(plan.customers.flatMap(customerUsers)));
}

/** Counts only: each of `users` in `text` becomes `[user]` (also in the inert form text renderers show). */
export function redactUsers(text: string, users: readonly string[]): string {
  const forms = longestFirst(new Set(users.flatMap((upn) => [upn, inertText(upn)])));
  return forms.reduce((t, upn) => (upn ? t.split(upn).join('[user]') : t), text);
}

function longestFirst(upns: Set<string>): string[] {
  return [...upns].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** Anything shaped like a user principal name (`name@domain.tld`). */
const UPN_LIKE = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Every user principal name in `text` becomes `[user]`, whether or not a plan mentions it (apply's output also
 * names users it read live, e.g. who holds what after a partial run). For logs that leave the machine.
 */
export function hideUserNames(text: string): string {
  return text.replace(UPN_LIKE, '[user]');
}
