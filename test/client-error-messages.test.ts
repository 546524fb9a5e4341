import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiErrorKind, type FailureKind } from '../src/partner-center/errors.js';
import { realClient, rejection } from './helpers/client.js';
import { CONTOSO, FABRIKAM, SKU } from './helpers/demo.js';
import { startSim, type StartedSim } from './helpers/sim.js';

const E3_SUB = 'A1B2C3D4-0000-4000-8000-000000000102';
const OLD_SALES_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';
const OLD_CEP_SUB = 'B1B2C3D4-0000-4000-8000-000000000201';
const SALES_PRO_OFFER = 'F28514F0-6516-4EF9-8222-1C605A05D245';

/**
 * Every documented Partner Center error code the engine meets, provoked in the simulator and read by the real
 * client: the typed kind, what a later run can expect, and the exact sentence a partner sees.
 */
describe('typed errors and the messages a partner sees', () => {
  let sim: StartedSim;
  let client: ReturnType<typeof realClient>['client'];
  beforeAll(async () => {
    sim = await startSim({ scenario: 'demo', options: { provisioningDelayByCustomer: { [CONTOSO]: 60_000 } } });
    client = realClient(sim.url).client;
  });
  afterAll(() => sim.close());

  const cases: [string, () => Promise<unknown>, number, ApiErrorKind, FailureKind, string][] = [
    [
      'out of licences (60012)',
      async () => {
        const kim = (await client.listUsers(FABRIKAM)).find((u) => u.userPrincipalName?.startsWith('kim@'))!;
        return client.updateLicenses(FABRIKAM, kim.id, [SKU.oldCep], []);
      },
      60012,
      'out-of-licences',
      'terminal',
      'the subscription has no licences left to assign (code 60012) — buy more seats (raise quantity in the customer file, or seatHeadroom in pcsync.yaml) or free some licences, then run apply again',
    ],
    [
      'stale etag (2055)',
      async () => {
        const before = await client.getSubscription(CONTOSO, E3_SUB);
        await client.patchSubscription(CONTOSO, E3_SUB, { friendlyName: 'E3 - renamed' }, before.attributes?.etag);
        return client.patchSubscription(CONTOSO, E3_SUB, { friendlyName: 'E3 - again' }, before.attributes?.etag);
      },
      2055,
      'stale-etag',
      'transient',
      'the subscription changed in Partner Center after pcsync read it (stale etag) (code 2055) — someone else edited it meanwhile; run pcsync plan again and review the new plan',
    ],
    [
      'quantity change while suspending (2001)',
      () => client.patchSubscription(CONTOSO, E3_SUB, { status: 'suspended', quantity: 11 }),
      2001,
      'suspending',
      'transient',
      'the quantity cannot change while the subscription is being suspended (code 2001) — wait until the suspension has finished, then run apply again',
    ],
    [
      'suspended subscription (800091)',
      async () => {
        await client.patchSubscription(FABRIKAM, OLD_CEP_SUB, { status: 'suspended' });
        return client.patchSubscription(FABRIKAM, OLD_CEP_SUB, { quantity: 4 });
      },
      800091,
      'subscription-suspended',
      'terminal',
      'the subscription is suspended, so its quantity or settings cannot change (code 800091) — reactivate it in Partner Center first, or take the change out of the desired state',
    ],
    [
      'deleted subscription (2011)',
      async () => {
        sim.state.customer(CONTOSO)!.subscriptions.find((s) => s.id === OLD_SALES_SUB)!.status = 'deleted';
        return client.patchSubscription(CONTOSO, OLD_SALES_SUB, { status: 'suspended' });
      },
      2011,
      'subscription-deleted',
      'terminal',
      'the subscription is deleted and can no longer be changed (code 2011) — take it out of the desired state, or match a live subscription instead',
    ],
    [
      'new subscription not there yet (20000)',
      async () => {
        const order = await client.createOrder(CONTOSO, { lineItems: [{ lineItemNumber: 0, offerId: SALES_PRO_OFFER, quantity: 5 }] }, 'msg-test-order');
        return client.getSubscription(CONTOSO, order.lineItems![0]!.subscriptionId!);
      },
      20000,
      'not-found-yet',
      'transient',
      'the new order or its subscription is not visible yet (still provisioning) (code 20000) — new orders can take minutes to appear; run apply again later — it will not buy a second time',
    ],
  ];

  for (const [name, provoke, code, kind, failure, message] of cases) {
    it(name, async () => {
      const err = await rejection<ApiError>(provoke());
      expect(err).toBeInstanceOf(ApiError);
      expect([err.code, err.kind, err.failure]).toEqual([code, kind, failure]);
      expect(err.userMessage).toBe(`${err.method} ${err.path}: ${message}`);
      console.log(`  ${code}: ${err.userMessage}`);
    });
  }

  it('a 429 that outlasts the retries says what to change', async () => {
    const throttled = await startSim({ scenario: 'demo', options: { throttle: { perMinute: 60, burst: 1 } } });
    try {
      const c = realClient(throttled.url, { retry: { maxRetries: 0 } }).client;
      await c.getCustomer(CONTOSO);
      const err = await rejection<ApiError>(c.getCustomer(CONTOSO));
      expect([err.status, err.kind, err.failure]).toEqual([429, 'throttled', 'transient']);
      expect(err.description).toMatch(/^Rate limit is exceeded\. Try again in 1 seconds\.$/);
      expect(err.userMessage).toMatch(
        /^GET \/v1\/customers\/[^:]+: Partner Center is throttling requests \(rate limit, asked to wait 1\.0s\) \(HTTP 429\) — lower PCSYNC_RATE_PER_MINUTE or concurrency in pcsync\.yaml, then run apply again$/,
      );
    } finally {
      await throttled.close();
    }
  });
});
