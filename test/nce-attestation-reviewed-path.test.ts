import { afterEach, describe, expect, it } from 'vitest';
import { api, startSim, type StartedSim } from './helpers/sim.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { leavingSalesEnterprise } from './helpers/nce.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { ordersPerCustomer } from '../src/sim/invariants.js';
import { SKU } from '../src/sim/scenarios/catalog.js';

/**
 * Issue 20, done-when 2: a new-commerce offer whose catalogue entry enforces attestation is bought through the
 * reviewed path (plan --out → apply plan.json --approved-hash), with exactly one order; the cart shows both
 * attestations where Partner Center documents them — `partnerOnRecordAttestationAccepted` on the cart,
 * `attestationAccepted` on the line (learn cart-resources, create-a-cart; partner-center-2026-12.md §4) — and the
 * simulator refuses the cart line without it as the service does. Before issue 20 pcsync put the partner-of-record
 * attestation on the line and nothing else, so such an offer could never be bought.
 */
let sim: StartedSim;
afterEach(async () => sim?.close());

/** Tailspin buys `offer` (its licence SKU named: the legacy offers API does not serve new-commerce items). */
const desired = (offer: string, skuId: string) =>
  leavingSalesEnterprise({ tailspin: { id: NCE_CUSTOMERS.inWindow, replacement: `    offer: ${offer}:AV0001\n    skuId: ${skuId}\n    term: P1Y\n    billing: monthly` } });

const cartBodies = () => sim.audit.writes().filter((r) => r.path.endsWith('/carts')).map((r) => r.body as { lineItems: Record<string, unknown>[]; [k: string]: unknown });

describe('an NCE offer that enforces attestation, through the reviewed path', () => {
  it('is bought once, with the line attestation on the line and the partner-of-record one on the cart', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const { plan, apply } = await planThenApplySaved(sim, desired(NCE.salesProOffer, SKU.salesPro), { env: { PCSYNC_POLL_MS: '50' } });
    // what the reviewer approves says what is attested
    expect(plan.stdout).toMatch(/new subscription, 3 seat\(s\); by approving, the partner accepts the partner-of-record attestation and, where Partner Center enforces one, the SKU's own attestation/);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [NCE_CUSTOMERS.inWindow]: 1 });
    const carts = cartBodies();
    expect(carts).toHaveLength(1);
    expect(carts[0]!.partnerOnRecordAttestationAccepted).toBe(true);
    expect(carts[0]!.lineItems).toEqual([expect.objectContaining({ catalogItemId: `${NCE.salesProOffer}:AV0001`, attestationAccepted: true })]);
    expect(carts[0]!.lineItems[0]).not.toHaveProperty('partnerOnRecordAttestationAccepted');
    const bought = sim.state.customer(NCE_CUSTOMERS.inWindow)!.subscriptions.find((s) => s.offerId === NCE.salesProOffer);
    expect(bought).toMatchObject({ status: 'active', quantity: 3 });
  });

  it('a SKU that enforces none gets no line attestation (the partner-of-record one stays on the cart)', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const { apply } = await planThenApplySaved(sim, desired(NCE.e3Offer, SKU.e3), { env: { PCSYNC_POLL_MS: '50' } });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const carts = cartBodies();
    expect(carts.map((c) => c.partnerOnRecordAttestationAccepted)).toEqual([true]);
    expect(carts[0]!.lineItems[0]).not.toHaveProperty('attestationAccepted');
  });

  it('the simulator refuses that cart line without attestationAccepted (400 900203), as the service does', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const line = { id: 0, catalogItemId: `${NCE.salesProOffer}:AV0001`, quantity: 3, termDuration: 'P1Y', billingCycle: 'monthly' };
    const res = await api(sim.url, 'POST', `/v1/customers/${NCE_CUSTOMERS.inWindow}/carts`, { body: { lineItems: [line], partnerOnRecordAttestationAccepted: true } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 900203, description: 'CatalogItemId requires attestation acceptance.' });
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({});
  });
});
