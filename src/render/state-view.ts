import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Action, CustomerPlan, ReassignAction } from '../plan/types.js';

/** One subscription as far as the plan looks at it. */
export interface SubscriptionView {
  readonly offerId?: string;
  readonly offerName?: string;
  readonly quantity?: number;
  readonly status?: string;
  /** The next term: what renews now (live) and what is scheduled (desired). */
  readonly nextTerm?: { readonly offerId: string; readonly quantity: number; readonly term: string; readonly billing: string };
}

/**
 * The part of one customer's state that its plan touches: subscriptions by desired handle, then by
 * subscription id (`new` for one still to be bought); licences by user, then by SKU id (value: offer name,
 * or the SKU id when the plan does not name it).
 */
export interface StateView {
  readonly subscriptions: Record<string, Record<string, SubscriptionView>>;
  readonly licenses: Record<string, Record<string, string>>;
}

/**
 * Both sides of a customer's plan, projected from its actions: `live` from each action's observed values,
 * `desired` from its desired values. Pure; the planner already decided what the desired state means.
 */
export function stateViews(c: CustomerPlan): { live: StateView; desired: StateView } {
  const live: StateView = { subscriptions: {}, licenses: {} };
  const desired: StateView = { subscriptions: {}, licenses: {} };
  for (const a of c.actions) project(a, live, desired);
  return { live, desired };
}

/** JSON Patch (RFC 6902) from the live view to the desired view; `test` ops carry the live value replaced or removed. */
export function customerPatch(c: CustomerPlan): Operation[] {
  const { live, desired } = stateViews(c);
  return jsonpatch.compare(live, desired, true);
}

function project(a: Action, live: StateView, desired: StateView): void {
  switch (a.kind) {
    case 'purchase':
      if (a.mode === 'new') {
        setSub(desired, a.handle, 'new', { offerId: a.offerId, offerName: a.offerName, quantity: a.quantity, status: 'active' });
      } else {
        const id = a.observed.subscriptionId ?? 'unknown';
        setSub(live, a.handle, id, { offerId: a.offerId, offerName: a.offerName, quantity: a.observed.quantity });
        setSub(desired, a.handle, id, { offerId: a.offerId, offerName: a.offerName, quantity: a.desired.quantity });
      }
      return;
    case 'suspend':
    case 'cancel':
    case 'end-at-term':
      setSub(live, a.handle, a.subscriptionId, { offerName: a.offerName, status: a.observed.status, ...('status' in a.desired ? {} : { autoRenewEnabled: a.observed.autoRenewEnabled }) });
      setSub(desired, a.handle, a.subscriptionId, { offerName: a.offerName, ...a.desired });
      return;
    case 'reassign':
      live.licenses[a.upn] = licences(a, a.observed.skuIds);
      desired.licenses[a.upn] = licences(a, a.desired.skuIds);
      return;
    case 'schedule-renewal': {
      const { offerId, quantity, term, billing } = a.observed.scheduled ?? a.observed;
      setSub(live, a.handle, a.subscriptionId, { offerName: a.offerName, nextTerm: { offerId, quantity, term, billing } });
      setSub(desired, a.handle, a.subscriptionId, { offerName: a.offerName, nextTerm: { offerId: a.desired.offerId, quantity: a.desired.quantity, term: a.desired.term, billing: a.desired.billing } });
      return;
    }
    case 'await-provisioning':
      return;
  }
}

function setSub(view: StateView, handle: string, id: string, sub: SubscriptionView): void {
  const subs = (view.subscriptions[handle] ??= {});
  subs[id] = { ...subs[id], ...sub };
}

function licences(a: ReassignAction, skuIds: readonly string[]): Record<string, string> {
  const names = new Map<string, string>();
  if (a.assignSkuId && a.assignName) names.set(a.assignSkuId, a.assignName);
  a.removeSkuIds.forEach((sku, i) => {
    const name = a.removeNames?.[i];
    if (name) names.set(sku, name);
  });
  return Object.fromEntries([...skuIds].sort().map((sku) => [sku, names.get(sku) ?? sku]));
}
