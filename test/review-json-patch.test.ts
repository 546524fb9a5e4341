import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { customerPatch, stateViews } from '../src/render/state-view.js';
import { partner } from './fixtures/plan/desired.js';
import { CONTOSO, CONTOSO_HOLDERS, FABRIKAM, FABRIKAM_HOLDERS, NAME, OFFER, SKU, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { customerPlan, plan } from './fixtures/plan/edit.js';
import { liveAfter } from './fixtures/plan/simulate.js';

const migrating = plan(demoDesired(), demoLive());
const json = JSON.parse(render(migrating, 'json'));
const patchOf = (id: string) => json.customers.find((c: { customerId: string }) => c.customerId === id).patch;

describe('JSON Patch of desired vs live, per customer, in the JSON output', () => {
  it('turns the live view into the desired view, checking each live value it replaces (RFC 6902 test ops)', () => {
    for (const c of migrating.customers) {
      const { live, desired } = stateViews(c);
      const patched = jsonpatch.applyPatch(jsonpatch.deepClone(live), patchOf(c.customerId), true).newDocument;
      expect(patched).toEqual(desired);
      expect(patchOf(c.customerId)).toEqual(customerPatch(c));
    }
  });

  it('says what Contoso gains and loses: a new subscription, each holder\'s licence swapped, the old subscription suspended', () => {
    const patch = patchOf(CONTOSO);
    expect(patch).toContainEqual({
      op: 'add',
      path: '/subscriptions/sales-pro',
      value: { new: { offerId: OFFER.salesPro, offerName: NAME.salesPro, quantity: 5, status: 'active' } },
    });
    const legacy = '/subscriptions/legacy-sales/A1B2C3D4-0000-4000-8000-000000000101/status';
    expect(patch).toContainEqual({ op: 'test', path: legacy, value: 'active' });
    expect(patch).toContainEqual({ op: 'replace', path: legacy, value: 'suspended' });
    for (const upn of CONTOSO_HOLDERS) {
      expect(patch).toContainEqual({ op: 'remove', path: `/licenses/${upn}/${SKU.oldSales}` });
      expect(patch).toContainEqual({ op: 'add', path: `/licenses/${upn}/${SKU.salesPro}`, value: NAME.salesPro });
    }
    expect(JSON.stringify(patch)).not.toContain(SKU.e3); // kept licences are not part of the difference
  });

  it('shows a quantity increase as a replace of the live quantity', () => {
    const desired = demoDesired();
    const migrated = liveAfter(migrating, demoLive(), desired);
    const contoso = customerPlan(plan(demoDesired(partner({ seatHeadroom: 2 })), migrated), CONTOSO);
    const patch = customerPatch(contoso);
    expect(patch).toEqual([
      { op: 'test', path: '/subscriptions/sales-pro/sub-sales-pro/quantity', value: 5 },
      { op: 'replace', path: '/subscriptions/sales-pro/sub-sales-pro/quantity', value: 7 },
    ]);
  });

  it('is empty once live state matches, and for a blocked customer (nothing will change)', () => {
    const desired = demoDesired();
    const done = JSON.parse(render(plan(desired, liveAfter(migrating, demoLive(), desired)), 'json'));
    expect(done.customers.map((c: { patch: unknown }) => c.patch)).toEqual([[], []]);
    const blocked = plan(demoDesired(partner(), FABRIKAM_HOLDERS.slice(0, 2)), demoLive());
    expect(customerPatch(customerPlan(blocked, FABRIKAM))).toEqual([]);
  });
});
