import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, KNOWN_CODES, type Actor, type ApiErrorKind, type FailureKind } from '../src/partner-center/errors.js';
import { ENTRA_ROLE } from '../src/partner-center/gdap-roles.js';
import { DEFAULT_GDAP_GROUP } from '../src/sim/gdap.js';
import { loadScenario } from './helpers/sim.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';
import { realClient, rejection } from './helpers/client.js';
import { CONTOSO, FABRIKAM, SKU } from './helpers/demo.js';
import { startSim, type StartedSim } from './helpers/sim.js';

const E3_SUB = 'A1B2C3D4-0000-4000-8000-000000000102';
const OLD_SALES_SUB = 'A1B2C3D4-0000-4000-8000-000000000101';
const OLD_CEP_SUB = 'B1B2C3D4-0000-4000-8000-000000000201';
const SALES_PRO_OFFER = 'F28514F0-6516-4EF9-8222-1C605A05D245';
const CEP_OFFER = 'BB30B486-53BE-4ECF-BB85-6F50979F0579';

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
      'the subscription has no licences left to assign (code 60012) — whoever edits the desired state must act: buy more seats (raise quantity in the customer file, or seatHeadroom in pcsync.yaml) or free some licences, then run apply again',
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
      'the subscription changed in Partner Center after pcsync read it (stale etag) (code 2055) — retry: someone else edited it meanwhile; run pcsync plan again and review the new plan',
    ],
    [
      'quantity change while suspending (2001)',
      () => client.patchSubscription(CONTOSO, E3_SUB, { status: 'suspended', quantity: 11 }),
      2001,
      'suspending',
      'transient',
      'the quantity cannot change while the subscription is being suspended (code 2001) — retry: wait until the suspension has finished, then run apply again',
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
      'the subscription is suspended, so its quantity or settings cannot change (code 800091) — a partner Admin agent must act: reactivate it in Partner Center first, or take the change out of the desired state',
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
      'the subscription is deleted and can no longer be changed (code 2011) — whoever edits the desired state must act: take it out of the desired state, or match a live subscription instead',
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
      'the new order or its subscription is not visible yet (still provisioning) (code 20000) — retry: new orders can take minutes to appear; run apply again later — it will not buy a second time',
    ],
  ];

  for (const [name, provoke, code, kind, failure, message] of cases) {
    it(name, async () => {
      const err = await rejection<ApiError>(provoke());
      expect(err).toBeInstanceOf(ApiError);
      expect([err.code, err.kind, err.failure]).toEqual([code, kind, failure]);
      // Partner Center's own words follow pcsync's sentence, as inert text.
      expect(err.userMessage).toBe(`${err.method} ${err.path}: ${message}. Partner Center said: "${err.description}"${err.data.length ? ` [${err.data.join('; ')}]` : ''}`);
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
        /^GET \/v1\/customers\/[^:]+: Partner Center is throttling requests \(rate limit, asked to wait 1\.0s\) \(HTTP 429\) — retry: lower PCSYNC_RATE_PER_MINUTE or concurrency in pcsync\.yaml, then run apply again$/,
      );
    } finally {
      await throttled.close();
    }
  });
});

/**
 * Every documented Partner Center error code (src/partner-center/error-codes.ts): who must act — `retry` (run again
 * later), a `person` (named, with what to do: role, consent, agreement) or a pcsync `bug` — and the exact sentence a
 * partner reads (without Partner Center's own words, which follow it when sent). A code added to the table without
 * a row here, or a sentence changed, fails.
 */
const EVERY_CODE: [number, string, Actor, string][] = [
  [2001, "suspending", "retry", "the quantity cannot change while the subscription is being suspended (code 2001) — retry: wait until the suspension has finished, then run apply again"],
  [2002, "quantity-out-of-range", "person", "the quantity is outside the offer's minimum/maximum (code 2002) — whoever edits the desired state must act: pick a quantity the offer allows"],
  [2006, "not-updatable", "person", "this offer's subscriptions cannot be changed through the API (code 2006) — a partner Admin agent must act: make the change in Partner Center"],
  [2011, "subscription-deleted", "person", "the subscription is deleted and can no longer be changed (code 2011) — whoever edits the desired state must act: take it out of the desired state, or match a live subscription instead"],
  [2030, "country-not-onboarded", "person", "the partner is not set up to sell in this country (code 2030) — the partner admin must act: check country in pcsync.yaml, or enrol the partner for that market in Partner Center"],
  [2054, "invalid-input", "bug", "the billing cycle cannot change through a subscription update (code 2054) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [2055, "stale-etag", "retry", "the subscription changed in Partner Center after pcsync read it (stale etag) (code 2055) — retry: someone else edited it meanwhile; run pcsync plan again and review the new plan"],
  [2085, "not-eligible", "person", "this customer is not eligible to buy the offer (code 2085) — a partner Admin agent must act: check the customer's eligibility (e.g. segment, qualifications) in Partner Center, or pick another offer"],
  [2091, "offer-retired", "person", "the offer is no longer available for purchase (code 2091) — whoever edits the desired state must act: choose a replacement offer in the desired state"],
  [2100, "invalid-input", "bug", "the offers API does not serve new-commerce items (code 2100) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [10012, "attestation-missing", "bug", "the cart line attestation was not accepted (code 10012) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [13605, "customer-agreement-missing", "person", "the customer has not accepted the Microsoft Customer Agreement (code 13605) — the customer must act: have the customer accept it (Partner Center → customer → Account, or the acceptance link the partner sends), then run apply again"],
  [20000, "not-found-yet", "retry", "the new order or its subscription is not visible yet (still provisioning) (code 20000) — retry: new orders can take minutes to appear; run apply again later — it will not buy a second time"],
  [20002, "no-relationship", "person", "the partner has no commerce relationship with this customer (code 20002) — the partner admin must act: check customer.id in the desired-state file; if it is right, the reseller relationship has ended: send the customer a new relationship request and have them accept it"],
  [20003, "subscription-not-found", "retry", "the subscription does not exist (code 20003) — retry: run pcsync plan again: the plan names a subscription Partner Center no longer has"],
  [60000, "licence-update-failed", "person", "the licence update failed (code 60000) — a customer admin (or the partner through GDAP) must act: read Partner Center's words: usually conflicting service plans or a licence assigned through a group; fix that user's licences in Microsoft Entra ID, then run apply again"],
  [60002, "user-not-found", "retry", "the user does not exist in the customer tenant (code 60002) — retry: run pcsync plan again (the user was deleted meanwhile)"],
  [60003, "tenant-not-found", "person", "the customer tenant does not exist (code 60003) — whoever edits the desired state must act: check customer.id in the desired-state file"],
  [60012, "out-of-licences", "person", "the subscription has no licences left to assign (code 60012) — whoever edits the desired state must act: buy more seats (raise quantity in the customer file, or seatHeadroom in pcsync.yaml) or free some licences, then run apply again"],
  [400013, "offer-retired", "person", "the product or SKU is not in the catalogue (code 400013) — whoever edits the desired state must act: choose an offer the catalogue sells in the desired state"],
  [400018, "availability-not-found", "retry", "the product availability is no longer offered (availabilities are reissued) (code 400018) — retry: run apply again: pcsync reads the current availability just before buying"],
  [800001, "token-missing", "person", "Partner Center did not accept the access token (code 800001) — whoever configures pcsync (CI secrets) must act: set a valid token (PARTNER_CENTER_TOKEN) or valid msal variables; pcsync doctor checks them"],
  [800002, "invalid-input", "bug", "Partner Center rejected the request input (code 800002) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [800003, "server-error", "retry", "Partner Center had an unexpected error (code 800003) — retry: try again later"],
  [800004, "invalid-offer", "person", "the offer id is not valid (code 800004) — whoever edits the desired state must act: check the offer in the desired state"],
  [800005, "server-error", "retry", "Partner Center could not create the order (code 800005) — retry: run pcsync plan to see whether the order exists before applying again"],
  [800008, "invalid-input", "bug", "the cart does not exist (code 800008) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [800009, "invalid-input", "bug", "the cart items have an error (code 800009) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [800014, "pending-operation", "retry", "an adjustment of this order is still pending (code 800014) — retry: run apply again later"],
  [800017, "quantity-out-of-range", "person", "the quantity asked for is not available (code 800017) — whoever edits the desired state must act: pick a smaller quantity"],
  [800018, "sandbox-limit", "person", "the integration sandbox limit is reached (code 800018) — a partner Admin agent must act: remove sandbox subscriptions, or test against the simulator"],
  [800020, "not-eligible", "person", "this customer is not eligible to buy the offer (code 800020) — a partner Admin agent must act: check the customer's eligibility (e.g. segment, qualifications) in Partner Center, or pick another offer"],
  [800027, "not-updatable", "person", "this catalogue item does not allow adding or removing seats (code 800027) — a partner Admin agent must act: make the change in Partner Center"],
  [800060, "pending-operation", "retry", "an order for this customer is still in progress (code 800060) — retry: run apply again later"],
  [800061, "invalid-input", "bug", "the cart does not exist (code 800061) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [800064, "pending-operation", "retry", "the cart is being processed by another request (code 800064) — retry: run apply again later"],
  [800065, "invalid-input", "bug", "the cart was already checked out (code 800065) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [800066, "asset-limit", "person", "the customer has too many subscriptions (code 800066) — the partner, with Microsoft support must act: consolidate subscriptions, or ask Microsoft support to raise the limit"],
  [800067, "quantity-out-of-range", "person", "the seat count is over the maximum per subscription (code 800067) — whoever edits the desired state must act: lower the quantity, or split it over two subscriptions"],
  [800070, "not-sold-in-country", "person", "the product is not sold in the customer's country (code 800070) — whoever edits the desired state must act: pick an offer sold in that market"],
  [800071, "invalid-input", "bug", "the order line numbers are not valid (code 800071) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [800075, "customer-locked", "person", "the customer account is not approved (code 800075) — a partner Admin agent must act: complete the customer's approval in Partner Center; then run apply again"],
  [800081, "not-active-yet", "retry", "the subscription is not active yet, so it cannot be updated (code 800081) — retry: run apply again once it is provisioned"],
  [800082, "not-active-yet", "retry", "the subscription is not ready to be updated (code 800082) — retry: run apply again later"],
  [800088, "quantity-out-of-range", "person", "the seat count is over the limit per subscription for this catalogue item (code 800088) — whoever edits the desired state must act: lower the quantity, or split it over two subscriptions"],
  [800089, "asset-limit", "person", "the order exceeds the number of assets allowed per customer (code 800089) — the partner, with Microsoft support must act: consolidate subscriptions, or ask Microsoft support to raise the limit"],
  [800090, "quantity-not-lowered", "person", "the quantity cannot be lowered now (code 800090) — whoever edits the desired state must act: keep the quantity until the term ends (pcsync never lowers one by itself)"],
  [800091, "subscription-suspended", "person", "the subscription is suspended, so its quantity or settings cannot change (code 800091) — a partner Admin agent must act: reactivate it in Partner Center first, or take the change out of the desired state"],
  [800093, "auto-renew-not-allowed", "person", "this subscription cannot be set to renew automatically (code 800093) — a partner Admin agent must act: check the offer's renewal terms in Partner Center"],
  [800094, "server-error", "retry", "Partner Center failed to update the subscription (code 800094) — retry: run pcsync plan to see the live state, then apply again"],
  [800095, "not-updatable", "person", "the seat quantity of this subscription cannot be updated (code 800095) — a partner Admin agent must act: make the change in Partner Center"],
  [800096, "not-updatable", "person", "the status of this subscription cannot be updated (code 800096) — a partner Admin agent must act: make the change in Partner Center"],
  [800097, "not-updatable", "person", "the billing cycle of this subscription cannot be updated (code 800097) — a partner Admin agent must act: make the change in Partner Center"],
  [800098, "not-updatable", "person", "the partner of record of this subscription cannot be updated (code 800098) — a partner Admin agent must act: make the change in Partner Center"],
  [900117, "past-cancellation-window", "person", "the subscription is past its cancellation window (code 900117) — the reviewer must act: it can only end at its term end (auto-renew off, cancel at term end): apply does that when the plan carried the fallback; otherwise plan again and approve status: ends-at-term"],
  [900124, "partner-agreement-missing", "person", "the partner has not accepted the Microsoft Partner Agreement (code 900124) — the partner's global admin must act: accept it in Partner Center (Settings → Legal info), then run apply again"],
  [900150, "role-lacks-rights", "person", "the signed-in partner user's role does not allow this operation (code 900150) — the partner admin must act: add the signed-in partner user to Admin agents in Partner Center and, for users and licences, to a security group whose active GDAP access assignment for this customer holds License Administrator, User Administrator or Directory Writers (Directory Readers for reads only)"],
  [900203, "attestation-missing", "bug", "the line attestation is missing (code 900203) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [900206, "attestation-missing", "bug", "the partner-of-record attestation is missing (code 900206) — a pcsync bug: pcsync sent something Partner Center does not accept; please report it with the request id"],
  [900278, "pending-operation", "retry", "another operation on this customer or subscription is still pending (code 900278) — retry: Partner Center says to retry in up to 24 hours; run apply again later"],
  [900308, "role-lacks-rights", "person", "the signed-in partner user has no GDAP role for this operation on this customer (insufficient privileges) (code 900308) — the partner admin must act: add the signed-in partner user to Admin agents in Partner Center and, for users and licences, to a security group whose active GDAP access assignment for this customer holds License Administrator, User Administrator or Directory Writers (Directory Readers for reads only)"],
  [900309, "conditional-access", "person", "a Conditional Access policy blocked the sign-in (code 900309) — the partner admin must act: exempt pcsync's app and user from the policy in the partner tenant, or meet it (e.g. a compliant location)"],
  [900311, "too-many-updates", "retry", "the subscription was updated too many times (code 900311) — retry: run apply again tomorrow"],
  [900316, "app-only-refused", "person", "licence management needs an App+User token (code 900316) — whoever configures pcsync (CI secrets) must act: set PARTNER_CENTER_REFRESH_TOKEN for App+User calls"],
  [900329, "app-only-refused", "person", "this operation does not accept app-only credentials (code 900329) — whoever configures pcsync (CI secrets) must act: set PARTNER_CENTER_REFRESH_TOKEN (with PARTNER_CENTER_TENANT_ID and PARTNER_CENTER_CLIENT_ID) for App+User calls"],
  [900416, "customer-locked", "person", "the customer account is locked (code 900416) — the customer must act: the customer (or the partner, for a credit hold) resolves it with Microsoft; then run apply again"],
  [900419, "asset-limit", "person", "the customer tenant's subscription limit is reached (code 900419) — the partner, with Microsoft support must act: consolidate subscriptions, or ask Microsoft support to raise the limit"],
  [900420, "token-audience-retired", "person", "the token is for a retired audience (Azure AD Graph) (code 900420) — whoever configures pcsync (CI secrets) must act: use a token for https://api.partnercenter.microsoft.com (PARTNER_CENTER_TOKEN), or let pcsync get one from PARTNER_CENTER_REFRESH_TOKEN"],
  [900421, "mfa-required", "person", "Partner Center requires multi-factor authentication for App+User calls, and the token has no MFA claim (code 900421) — the partner admin must act: sign in again as the partner admin WITH multi-factor authentication and consent to the app (Secure Application Model: the authorization-code flow, e.g. New-PartnerAccessToken -UseAuthorizationCode), then store the new refresh token in PARTNER_CENTER_REFRESH_TOKEN; app-only calls are not affected"],
];

describe('every documented error code: who must act, and the sentence', () => {
  it('the table covers exactly the documented codes', () => {
    expect(Object.keys(KNOWN_CODES).map(Number).sort((a, b) => a - b)).toEqual(EVERY_CODE.map(([code]) => code));
  });

  for (const [code, kind, actor, sentence] of EVERY_CODE) {
    it(`${code} ${kind}: ${actor}`, () => {
      const err = new ApiError('POST', '/v1/example', 400, code, '', KNOWN_CODES[code]!.failure ?? 'terminal', 'req-1');
      expect([err.kind, err.actor, err.userMessage]).toEqual([kind, actor, `POST /v1/example: ${sentence}`]);
      if (actor === 'person') expect(sentence).toMatch(/ must act: /);
      if (actor === 'bug') expect(sentence).toMatch(/a pcsync bug: .*report it/);
      if (actor === 'retry') expect(sentence).toMatch(/ — retry: /);
    });
  }

  it('an unknown code is never silent about who acts', () => {
    const err = new ApiError('GET', '/v1/example', 403, 123456, 'Something new', 'terminal', 'req-9', undefined, { data: ['detail one'] });
    expect(err.actor).toBe('person');
    expect(err.userMessage).toBe('GET /v1/example: Something new [detail one] (code 123456) — a person must act: pcsync does not know this code: read its words and quote request id req-9 if you ask for help');
  });
});

/** Refusals provoked in the simulator, read by the real client: Partner Center's description and data kept verbatim (inert) beside pcsync's sentence. */
describe("refusals keep the service's own words", () => {
  let sim: StartedSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('60000 conflicting service plans: the description and data follow the sentence; a person must act, not a retry', async () => {
    const scenario = loadScenario('demo');
    scenario.skus.find((s) => s.skuId === SKU.cep)!.conflictsWith = [SKU.oldCep];
    sim = await startSim({ scenario });
    const c = realClient(sim.url).client;
    const hana = (await c.listUsers(FABRIKAM)).find((u) => u.userPrincipalName?.startsWith('hana@'))!;
    const order = await c.createOrder(FABRIKAM, { lineItems: [{ lineItemNumber: 0, offerId: CEP_OFFER, quantity: 3 }] }, 'msg-test-cep');
    expect(order).toBeDefined();
    const err = await rejection<ApiError>(c.updateLicenses(FABRIKAM, hana.id, [SKU.cep], []));
    expect([err.code, err.kind, err.actor, err.failure]).toEqual([60000, 'licence-update-failed', 'person', 'terminal']);
    expect(err.userMessage).toMatch(/: the licence update failed \(code 60000\) — a customer admin \(or the partner through GDAP\) must act: /);
    expect(err.userMessage).toContain('Partner Center said: "License assignment failed because service plans of DYN365_ENTERPRISE_PLAN1 and CRMOL_BASIC_QO_CEP_GOV are mutually exclusive." [MutuallyExclusiveViolation : User hana@');
  });

  it('403 900308 (no GDAP role that can write licences): who must act and which roles', async () => {
    sim = await startSim({ scenario: 'demo', options: { gdap: { customers: { [CONTOSO]: { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.directoryReaders] }] } } } } });
    const c = realClient(sim.url).client;
    const frank = (await c.listUsers(CONTOSO)).find((u) => u.userPrincipalName?.startsWith('frank@'))!;
    const err = await rejection<ApiError>(c.updateLicenses(CONTOSO, frank.id, [SKU.cep], []));
    expect([err.status, err.code, err.kind, err.actor]).toEqual([403, 900308, 'role-lacks-rights', 'person']);
    expect(err.userMessage).toMatch(/the partner admin must act: .*License Administrator, User Administrator or Directory Writers.*Partner Center said: "Insufficient privileges to complete the operation\."$/);
  });

  it('403 20002 (relationship ended) and 400 900117 (past the cancellation window)', async () => {
    sim = await startSim({ scenario: 'new-commerce', options: { relationshipEnded: [NCE_CUSTOMERS.inWindow] } });
    const c = realClient(sim.url).client;
    const gone = await rejection<ApiError>(c.listSubscriptions(NCE_CUSTOMERS.inWindow));
    expect([gone.status, gone.code, gone.actor]).toEqual([403, 20002, 'person']);
    expect(gone.userMessage).toMatch(/no commerce relationship with this customer \(code 20002\) — the partner admin must act: check customer\.id/);
    const sub = sim.state.customer(NCE_CUSTOMERS.pastWindow)!.subscriptions.find((s) => s.offerId === NCE.salesEnterpriseOffer)!;
    const late = await rejection<ApiError>(c.patchSubscription(NCE_CUSTOMERS.pastWindow, sub.id, { status: 'deleted' }));
    expect([late.code, late.kind, late.actor]).toEqual([900117, 'past-cancellation-window', 'person']);
    expect(late.userMessage).toMatch(/past its cancellation window \(code 900117\) — the reviewer must act: it can only end at its term end/);
  });
});
