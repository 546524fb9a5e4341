import { nameKey } from '../catalog/names.js';
import { keepPriceGroups } from '../catalog/price-group.js';
import { warnPriceGroups } from './price-group.js';
import { Findings } from './problems.js';
import { resolveHandles } from './handles.js';
import { licenceTargets } from './targets.js';
import { retiringGuard } from './retiring.js';
import { planPurchases } from './purchase.js';
import { planReassigns } from './reassign.js';
import { planRetirements } from './retire.js';
import type { Remembered } from './context.js';
import { planRenewals, renewedMoves } from './renewal.js';
import { warnOddValues } from './odd-values.js';
import { compareActions } from './order.js';
import { checkLicenceAccess } from './gdap.js';
import { checkCustomerAgreement } from './agreement.js';
import { offersFor } from '../catalog/offer-view.js';
import { warnOfferNameDiffers } from './price-group.js';
import type { Catalog } from '../catalog/types.js';
import type { DesiredCustomer, PartnerConfig } from '../desired/types.js';
import type { CatalogueRead, LiveCustomer } from '../live/types.js';
import type { CustomerPlan, PurchaseAction } from './types.js';

export interface CustomerInput {
  readonly desired: DesiredCustomer;
  /** Undefined when the live read has no entry for the customer. */
  readonly live: LiveCustomer | undefined;
  readonly catalog: Catalog;
  /**
   * The market's offer catalogue, read once for the run (or why it could not be read: offers and SKUs that depend
   * on it are then unknown). Required: a plan made without it would find no offer and plan nothing.
   */
  readonly catalogue: CatalogueRead;
  readonly partner: PartnerConfig;
  /** ISO time of the plan (apply re-plans with its plan's time): every date check uses it, never a clock. */
  readonly now: string;
  /** What earlier applies of this state directory remember of this customer (their journals). */
  readonly remembered?: Remembered;
}

/**
 * One customer's plan, before the run-wide spend cap: its actions in order (kept even when blocked, so the
 * cap can count them; `finalizeCustomer` drops them), blockers and warnings. A pure function of this customer's
 * desired and live state, the run's catalogue and `now`: apply's re-plan of the customer gives the same plan.
 */
export function planCustomer(given: CustomerInput): CustomerPlan {
  const { live } = given;
  const offers = offersFor(given.catalogue?.offers ?? {}, live?.subscriptionOffers);
  // A replacement named by name keeps the retired subscriptions' price group when the live catalogue sells it.
  const desired = live?.found ? keepPriceGroups(given.desired, live.subscriptions, given.catalog, offers) : given.desired;
  const catalogueProblem = given.catalogue === undefined ? 'pcsync planned without reading the offer catalogue (a pcsync bug: please report it)' : given.catalogue.problem;
  const input = { ...given, desired, offers, ...(catalogueProblem !== undefined && { catalogueProblem }) };
  const findings = new Findings();
  const displayName = live?.companyName ?? live?.domain ?? desired.domain ?? desired.id;
  const who = `${displayName} (${desired.id})`;
  const base = { customerId: desired.id, displayName, file: desired.file, desiredHash: desired.contentHash, fingerprint: live?.fingerprint ?? '' };
  if (live?.readError) {
    findings.block('live-read-failed', `could not read ${who} from Partner Center: ${live.readError}`, {
      hint: readHint(live.readErrorActor),
      source: desired.source,
      retry: true,
    });
    return { ...base, actions: [], blockers: findings.blockers, warnings: findings.warnings };
  }
  if (!live || !live.found) {
    findings.block('customer-not-found', `customer ${desired.id} is not known to Partner Center, or the partner has no relationship with it`, {
      hint: "whoever edits the desired state must act: check customer.id in the file (the customer's tenant id in Partner Center); if it is right, the reseller relationship has ended (403 20002) and the partner admin must send the customer a new relationship request",
      source: desired.source,
    });
    return { ...base, actions: [], blockers: findings.blockers, warnings: findings.warnings };
  }
  if (desired.domain && live.domain && nameKey(desired.domain) !== nameKey(live.domain)) {
    findings.block('domain-mismatch', `${who}: the file says domain ${desired.domain}, Partner Center says ${live.domain}`, {
      hint: 'the id may belong to another customer; fix customer.id or customer.domain',
      source: desired.domainSource ?? desired.source,
    });
  }
  const ctx = { ...input, live, who, findings };
  warnOddValues(ctx);
  const handles = resolveHandles(ctx);
  warnPriceGroups(ctx, handles);
  const targets = licenceTargets(ctx, handles);
  const removals = retiringGuard(ctx, handles, targets);
  renewedMoves(ctx, handles, targets, removals);
  const purchases = planPurchases(ctx, handles, targets);
  warnOfferNameDiffers(ctx, handles, purchases.actions.filter((a): a is PurchaseAction => a.kind === 'purchase'));
  const reassigns = planReassigns(ctx, handles, targets, removals, purchases.gates);
  const retirements = planRetirements(ctx, handles, reassigns);
  const renewals = planRenewals(ctx, handles);
  const actions = checkCustomerAgreement(ctx, checkLicenceAccess(ctx, [...purchases.actions, ...reassigns, ...retirements, ...renewals].sort(compareActions)));
  return { ...base, actions, blockers: findings.blockers, warnings: findings.warnings };
}

/** What to do about a customer whose read failed, by who must act (the read error says who and what). */
function readHint(actor: LiveCustomer['readErrorActor']): string {
  const base = 'nothing is planned or sent for this customer; other customers are not affected';
  if (actor === 'person') return `${base}; planning again will not help until the person named above has acted`;
  if (actor === 'bug') return `${base}; this is a pcsync bug: please report it with the request id`;
  return `${base}; run plan again later`;
}

/** A customer with blockers gets no actions: nothing is written for it. */
export function finalizeCustomer(plan: CustomerPlan): CustomerPlan {
  return plan.blockers.length > 0 && plan.actions.length > 0 ? { ...plan, actions: [] } : plan;
}
