import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, FABRIKAM } from './helpers/demo.js';
import { api, generateFleet, startSim, type StartedSim } from './helpers/sim.js';

let sim: StartedSim;
afterEach(() => sim?.close());

const OLD_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';
const E3_SUB = 'A1B2C3D4-0000-4000-8000-000000000102';

async function raw(path: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(`${sim.url}${path}`, { ...init, headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', ...init.headers } });
  return Buffer.from(await res.arrayBuffer()).toString('utf8');
}

describe('simulator reply reshaping', () => {
  it('prefixes JSON replies with a UTF-8 BOM', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { bom: true } } });
    const text = await raw(`/v1/customers/${CONTOSO}`);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(JSON.parse(text.slice(1)).id).toBe(CONTOSO);
  });

  it('sends PascalCase property names everywhere, or only in the subscription PATCH reply', async () => {
    sim = await startSim({ scenario: 'demo', options: { replies: { pascalCase: 'patch' } } });
    const get = JSON.parse(await raw(`/v1/customers/${CONTOSO}/subscriptions/${E3_SUB}`));
    expect(Object.keys(get)).toContain('offerId');
    const patched = JSON.parse(await raw(`/v1/customers/${CONTOSO}/subscriptions/${E3_SUB}`, { method: 'PATCH', body: JSON.stringify({ status: 'suspended' }) }));
    expect(patched).toMatchObject({ Id: E3_SUB, Status: 'suspended', Attributes: { ObjectType: 'Subscription' } });
    await sim.close();

    sim = await startSim({ scenario: 'demo', options: { replies: { pascalCase: 'all' } } });
    const list = JSON.parse(await raw(`/v1/customers/${CONTOSO}/users?size=2`));
    expect(Object.keys(list).sort()).toEqual(['Attributes', 'ContinuationToken', 'Items', 'Links', 'TotalCount']);
    expect(list.Links.Next.Headers[0].Key).toBe('MS-ContinuationToken');
    expect(list.Items[0].UserPrincipalName).toBe('alice@contoso.onmicrosoft.com');
  });

  it('sends values pcsync does not know, +00:00 dates and extra fields, without changing its own state', async () => {
    sim = await startSim({
      scenario: 'demo',
      options: {
        replies: {
          subscriptionStatus: { [OLD_SUB.toLowerCase()]: 'transitioning' },
          billingCycle: 'quadrennial',
          userState: 'pendingDeletion',
          relationship: 'co_sell',
          offsetDates: true,
          extraFields: { introducedLater: { x: 1 } },
        },
      },
    });
    const subs = (await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/subscriptions`)).body.items;
    expect(subs.map((s: any) => [s.id, s.status, s.billingCycle, s.commitmentEndDate, s.introducedLater])).toEqual([
      [OLD_SUB, 'transitioning', 'quadrennial', '2027-01-31T00:00:00+00:00', { x: 1 }],
      [E3_SUB, 'active', 'quadrennial', '2027-02-28T00:00:00+00:00', { x: 1 }],
    ]);
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}/users`)).body.items[0].state).toBe('pendingDeletion');
    expect((await api(sim.url, 'GET', `/v1/customers/${CONTOSO}`)).body.relationshipToPartner).toBe('co_sell');
    expect(sim.state.customer(CONTOSO)!.subscriptions[0]!.status).toBe('active');
    expect(sim.state.customer(CONTOSO)!.subscriptions[0]!.commitmentEndDate).toBe('2027-01-31T00:00:00Z');
  });
});

describe('simulator paging styles and per-customer provisioning delay', () => {
  it('points at the next page with or without /v1, with the token in a header, in the body only, or without a link', async () => {
    const scenario = generateFleet({ customers: 3, usersMin: 1, usersMax: 1, seed: 3 });
    const next = async (paging: object) => {
      sim = await startSim({ scenario, options: { pageSize: 2, paging } });
      const body = (await api(sim.url, 'GET', '/v1/customers?size=2')).body;
      await sim.close();
      return [body.links.next ?? null, typeof body.continuationToken];
    };
    const token = { key: 'MS-ContinuationToken', value: expect.any(String) };
    expect(await next({})).toEqual([{ uri: '/v1/customers?size=2&seekOperation=Next', method: 'GET', headers: [token] }, 'string']);
    expect(await next({ v1Prefix: false })).toEqual([{ uri: '/customers?size=2&seekOperation=Next', method: 'GET', headers: [token] }, 'string']);
    expect(await next({ nextLink: 'without-headers' })).toEqual([{ uri: '/v1/customers?size=2&seekOperation=Next', method: 'GET', headers: [] }, 'string']);
    expect(await next({ nextLink: 'none' })).toEqual([null, 'string']);
  });

  it('delays provisioning per customer', async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayByCustomer: { [CONTOSO.toUpperCase()]: 60_000 } } });
    const buy = async (customer: string) => {
      const o = await api(sim.url, 'POST', `/v1/customers/${customer}/orders`, {
        body: { lineItems: [{ lineItemNumber: 0, offerId: 'BB30B486-53BE-4ECF-BB85-6F50979F0579', quantity: 1 }] },
      });
      return (await api(sim.url, 'GET', `/v1/customers/${customer}/subscriptions/${o.body.lineItems[0].subscriptionId}`)).status;
    };
    expect([await buy(CONTOSO), await buy(FABRIKAM)]).toEqual([404, 200]);
  });
});
