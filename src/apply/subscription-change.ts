import { ApiError } from '../partner-center/errors.js';
import { documentedFields } from '../partner-center/request-schemas.js';
import type { WireSubscription } from '../partner-center/wire.js';
import type { ExecutorDeps } from './context.js';
import { firstCheckDelayMs } from './provisioning-times.js';

/** How long a change Partner Center accepted (202) may take to show before pcsync stops waiting. */
export const DEFAULT_CHANGE_TIMEOUT_MS = 300_000;

/** What one subscription PATCH came to, judged from the subscription as Partner Center shows it. */
export type ChangeResult =
  /** The change shows. `how` says how pcsync knows (reply, polling after a 202, read back after an unknown outcome). */
  | { readonly shows: true; readonly subscription: WireSubscription; readonly how: string }
  /**
   * It does not show (yet): after a 202 that outlived the wait, or an unknown outcome read back unchanged. With
   * `ignored`: Partner Center answered 200 (done) yet the subscription still shows these fields unchanged after the
   * wait — the change was not applied (auto-renew left on: microsoft/Partner-Center-PowerShell#115), so sending it
   * again is no fix: a person must make it.
   */
  | { readonly shows: false; readonly why: string; readonly ignored?: readonly string[] };

/**
 * The PATCH body: the subscription as read (every field the Subscription resource documents, no other) with the
 * change laid over it — the documented way (learn change-the-quantity-of-a-subscription, suspend-a-subscription:
 * GET it, change the field, PATCH the full resource back; API reference §5), so what the change does not name
 * (`autoRenewEnabled`, `scheduledNextTermInstructions`, …) is sent back as it was, never dropped.
 */
export function fullSubscription(current: WireSubscription, change: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const read = current as unknown as Record<string, unknown>;
  const kept = documentedFields('subscription').filter((f) => f !== 'attributes' && read[f] !== undefined);
  return { ...Object.fromEntries(kept.map((f) => [f, read[f]])), ...change };
}

/**
 * Sends one subscription PATCH and decides from what Partner Center shows, never from the reply alone:
 * - 200 with the subscription: done when `shows` says so;
 * - 202 Accepted (Location, no body; API reference §5), or any 2xx without a body: a success whose effect shows
 *   later, so the subscription is polled (from `pollMs`, doubling to `maxPollMs`) until it shows or
 *   `changeTimeoutMs` runs out;
 * - unknown outcome (timeout, dropped connection, 5xx after commit): the subscription is read back once; the
 *   PATCH is never sent again in this run (it sets absolute values, so the next apply may safely re-send it).
 * Refusals (4xx) are thrown as ApiError, as before.
 */
export async function changeSubscription(
  deps: ExecutorDeps,
  customerId: string,
  current: WireSubscription,
  patch: Record<string, unknown>,
  shows: (s: WireSubscription) => boolean,
  /** The change in words, e.g. `it suspended`, `quantity 5`. */
  what: string,
): Promise<ChangeResult> {
  const { client } = deps;
  let reply;
  try {
    reply = await client.patchSubscription(customerId, current.id, fullSubscription(current, patch), current.attributes?.etag);
  } catch (err) {
    if (!(err instanceof ApiError) || err.failure !== 'ambiguous') throw err;
    const after = await client.getSubscription(customerId, current.id);
    if (shows(after)) return { shows: true, subscription: after, how: `the outcome was unknown (${err.description}); reading it back shows ${what}` };
    return { shows: false, why: `${err.userMessage}. Read back: it does not show ${what} (${seen(after)})` };
  }
  if (!reply.accepted && shows(reply.subscription)) return { shows: true, subscription: reply.subscription, how: 'Partner Center confirmed it' };
  const why = reply.accepted ? `Partner Center accepted it (HTTP ${reply.status}) and applies it later` : 'the reply did not show the change yet';
  const polled = await poll(deps, customerId, current.id, shows, `${why}; waiting for ${what}`);
  if (polled.shows || reply.accepted) return polled.shows ? polled : { shows: false, why: polled.why };
  const shown = polled.last ?? reply.subscription;
  const unchanged = unchangedFields(patch, shown);
  return {
    shows: false,
    ignored: unchanged,
    why: `Partner Center answered 200 but did not apply the change: ${unchanged.length > 0 ? unchanged.join(', ') : 'the subscription'} did not change (it still shows ${shownValues(unchanged, shown)})`,
  };
}

/** The patched fields whose shown value is not the one sent (compared as lower-case JSON). */
function unchangedFields(patch: Readonly<Record<string, unknown>>, shown: WireSubscription): string[] {
  const read = shown as unknown as Record<string, unknown>;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null).toLowerCase() === JSON.stringify(b ?? null).toLowerCase();
  return Object.keys(patch).filter((f) => !same(patch[f], read[f]));
}

function shownValues(fields: readonly string[], shown: WireSubscription): string {
  const read = shown as unknown as Record<string, unknown>;
  return fields.map((f) => `${f} ${JSON.stringify(read[f] ?? null)}`).join(', ') || 'no change';
}

/**
 * Polls until the change shows: the first check after the time this run learned for accepted changes
 * (`LearnedWait`; `pollMs` before anything was learned), then doubling from `pollMs` to `maxPollMs`, until
 * `changeTimeoutMs`. A change that shows teaches its bracket (last check without it, first check with it).
 */
async function poll(
  deps: ExecutorDeps,
  customerId: string,
  subscriptionId: string,
  shows: (s: WireSubscription) => boolean,
  why: string,
): Promise<Extract<ChangeResult, { shows: true }> | { readonly shows: false; readonly why: string; readonly last?: WireSubscription }> {
  const started = deps.now();
  const limit = deps.changeTimeoutMs ?? DEFAULT_CHANGE_TIMEOUT_MS;
  const learned = deps.waits?.change;
  const estimateMs = learned?.estimateMs;
  let wait = firstCheckDelayMs({ estimateMs, pollMs: deps.pollMs, sinceMs: 0, leftMs: limit, unlearnedMs: deps.pollMs });
  let last = 'not read yet';
  let notYetAt: number | undefined;
  let lastSub: WireSubscription | undefined;
  for (let polls = 0; ; ) {
    const left = started + limit - deps.now();
    if (left <= 0) {
      return {
        shows: false,
        why: `${why}, but it did not show within ${Math.round(limit / 1000)}s (${polls} check(s); last seen: ${last}). It may still land; run apply again — it re-reads first`,
        ...(lastSub && { last: lastSub }),
      };
    }
    await deps.sleep(Math.min(wait, left));
    // after a learned first wait the doubling starts again from pollMs; without one it goes on from it
    wait = polls === 0 && estimateMs !== undefined ? deps.pollMs : Math.min(wait * 2, deps.maxPollMs);
    polls += 1;
    try {
      const checkedAt = deps.now();
      const sub = await deps.client.getSubscription(customerId, subscriptionId);
      if (shows(sub)) {
        learned?.observe({ notYetMs: notYetAt === undefined ? undefined : notYetAt - started, readyMs: checkedAt - started });
        return { shows: true, subscription: sub, how: `${why}; it showed after ${polls} check(s)` };
      }
      notYetAt = checkedAt;
      last = seen(sub);
      lastSub = sub;
    } catch (err) {
      if (!(err instanceof ApiError) || err.failure !== 'transient') throw err;
      last = `the check failed (${err.kind})`;
    }
  }
}

/** What a subscription shows of the fields pcsync changes: quantity, status, auto-renew and a scheduled end. */
function seen(s: WireSubscription): string {
  const end = (s.scheduledActions ?? []).some((x) => String(x.scheduleType).toLowerCase() === 'termend' && String(x.actionType).toLowerCase() === 'cancel');
  return `quantity ${s.quantity ?? '?'}, status ${s.status ?? '?'}, auto-renew ${s.autoRenewEnabled ?? '?'}, ${end ? 'cancel at term end scheduled' : 'no cancel at term end'}`;
}
