import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { demoEnv } from './helpers/demo.js';
import { tailspinToSalesProNewCommerce } from './helpers/nce.js';
import { planThenApplySaved } from './helpers/reviewed-path.js';
import { onAudit } from './helpers/safety.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { ordersPerCustomer, usersEverUnlicensed } from '../src/sim/invariants.js';
import { SKU } from '../src/sim/scenarios/catalog.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * Tailspin buys Sales Professional as a new-commerce item (availability id as written in the YAML) and leaves Sales
 * Enterprise. The legacy offers API does not serve new-commerce items, so the YAML names the licence SKU.
 */
const desired = tailspinToSalesProNewCommerce;

describe('buying a new-commerce offer', () => {
  it('through a cart with the attestation, at the current availability although the YAML names a reissued one; a checkout whose reply is lost is not bought twice', async () => {
    sim = await startSim({ scenario: 'new-commerce', options: { availabilityId: 'AV0002', faults: { dropAfterCommit: [{ route: 'cart.checkout', times: 1 }] } } });
    const dir = desired('AV0001');
    const plan = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);

    const { apply } = await planThenApplySaved(sim, dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout + apply.stderr).toMatch(/order outcome was unknown .*re-listing found subscription/);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [NCE_CUSTOMERS.inWindow]: 1 });
    const checkouts = sim.audit.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/checkout'));
    expect(checkouts).toHaveLength(1);
    expect(sim.audit.requests().some((r) => r.path.includes(`/products/${NCE.salesProOffer.split(':')[0]}/skus/0001/availabilities`))).toBe(true);
    const subs = sim.state.customer(NCE_CUSTOMERS.inWindow)!.subscriptions;
    const bought = subs.find((s) => s.offerId === NCE.salesProOffer)!;
    expect(bought).toMatchObject({ status: 'active', quantity: 3, termDuration: 'P1Y' });
    expect(bought.cancellationAllowedUntilDate).not.toBeNull();
    expect(subs.find((s) => s.offerId === NCE.salesEnterpriseOffer)!.status).toBe('deleted');
    expect(usersEverUnlicensed(sim.audit.entries, [[NCE.salesEnterpriseSku, SKU.salesPro]])).toEqual([]);

    const again = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
    expect(again.code, again.stdout).toBe(0);
  });

  it('a product this customer cannot buy with that term fails with the reason, nothing bought', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = desired('AV0001');
    const yaml = join(dir, 'customers', 'tailspin.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('term: P1Y\n    billing: monthly', 'term: P3Y\n    billing: triennial'));
    const apply = await runCli(['apply', '--auto-approve', '--dir', dir], { env: demoEnv(sim) });
    expect(apply.code).toBe(4);
    expect(apply.stdout + apply.stderr).toMatch(/is not sold with term P3Y and triennial billing to this customer/);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({});
  });
});

describe('a new-commerce offer written without its availability id', () => {
  it('productId:skuId is bought through a cart as well, at the availability read just before buying', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = desired('AV0001');
    const yaml = join(dir, 'customers', 'tailspin.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(`${NCE.salesProOffer}:AV0001`, NCE.salesProOffer));
    expect((await runCli(['validate', dir])).code).toBe(0);
    const { apply } = await planThenApplySaved(sim, dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(sim.audit.requests().filter((r) => r.method === 'POST').map((r) => r.path.replace(/[0-9a-f-]{36}/gi, '<id>'))).toContain('/v1/customers/<id>/carts/<id>/checkout');
    expect(sim.audit.requests().some((r) => r.method === 'POST' && r.path.endsWith('/orders'))).toBe(false);
  });
});

describe('the availability is reissued between the cart and its checkout', () => {
  it('the checkout is refused (400018); the next apply of the same saved plan makes a new cart at the new availability and buys once', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const dir = desired('AV0001');
    const s = sim;
    // Partner Center reissues the product's availability the moment the first cart is created.
    const stop = onAudit(sim, (e) => {
      if (e.type === 'request' && e.method === 'POST' && e.path.endsWith('/carts')) s.state.options.availabilityId = 'AV0002';
    });
    const first = await planThenApplySaved(sim, dir);
    stop();
    expect(first.apply.code, first.apply.stdout).toBe(4);
    expect(first.apply.stdout).toMatch(/400018/);
    const again = await runCli(['apply', first.planFile, '--dir', dir, '--approved-hash', first.actionsHash], { env: demoEnv(sim, { PCSYNC_POLL_MS: '50', PCSYNC_STATE_DIR: join(first.planFile, '..', 'state') }) });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const carts = sim.audit.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/carts'));
    expect(new Set(carts.map((r) => r.requestId)).size).toBe(2);
    expect(ordersPerCustomer(sim.audit.entries)).toEqual({ [NCE_CUSTOMERS.inWindow]: 1 });
  });
});
