import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, repoRoot, startSim, type StartedSim } from './helpers/sim.js';
import { rejection } from './helpers/client.js';
import { openOrUndescribed } from './helpers/schema-walk.js';
import { InternalError } from '../src/core/errors.js';
import { PartnerCenterClient } from '../src/partner-center/client.js';
import type { Transport } from '../src/partner-center/http.js';
import { requestBodyOf, requestBodyProblems } from '../src/partner-center/request-schemas.js';
import type { CartRequest } from '../src/partner-center/wire.js';
import { NCE, NCE_CUSTOMERS } from '../src/sim/scenarios/new-commerce.js';

/**
 * Issue 20, kind 2: request bodies are written from the reference. Each body pcsync sends has a JSON Schema of its
 * documented resource (schemas/partner-center/); the client refuses to send a body that does not fit (a pcsync
 * bug, nothing sent) and the simulator answers one with 400, so an undocumented or misplaced field fails a test.
 */
let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const TAILSPIN = NCE_CUSTOMERS.inWindow;
const line = (extra: Record<string, unknown> = {}) => ({ id: 0, catalogItemId: `${NCE.salesProOffer}:AV0001`, quantity: 3, termDuration: 'P1Y', billingCycle: 'monthly', ...extra });
/** What pcsync sent before issue 20: the partner-of-record attestation on the line, none on the cart. */
const misplaced = { lineItems: [line({ partnerOnRecordAttestationAccepted: true })] };

describe('the schemas', () => {
  const dir = join(repoRoot, 'schemas', 'partner-center');
  const files = readdirSync(dir).filter((f) => f.endsWith('.schema.json'));

  it('cover every write pcsync sends with a body', () => {
    expect(files.sort()).toEqual(['cart.schema.json', 'license-update.schema.json', 'order.schema.json', 'subscription.schema.json']);
    expect(requestBodyOf('POST', `/v1/customers/${TAILSPIN}/carts`)).toBe('cart');
    expect(requestBodyOf('POST', `/v1/customers/${TAILSPIN}/orders`)).toBe('order');
    expect(requestBodyOf('PATCH', `/v1/customers/${TAILSPIN}/subscriptions/abc`)).toBe('subscription');
    expect(requestBodyOf('POST', `/v1/customers/${TAILSPIN}/users/u/licenseupdates`)).toBe('license-update');
    expect(requestBodyOf('POST', `/v1/customers/${TAILSPIN}/carts/c/checkout`)).toBeUndefined();
  });

  it.each(files)('%s names its documentation page, describes every property and closes every object it describes', (name) => {
    const schema = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    expect(schema.description).toMatch(/learn\.microsoft\.com\/partner-center\/developer\//);
    expect(openOrUndescribed(schema, name)).toEqual([]);
  });

  it('name a misplaced attestation and an unknown field; accept the documented places, any casing and nulls', () => {
    expect(requestBodyProblems('cart', misplaced)).toEqual(['/lineItems/0: undocumented field "partnerOnRecordAttestationAccepted"']);
    expect(requestBodyProblems('cart', { lineItems: [line({ attestationAccepted: true })], partnerOnRecordAttestationAccepted: true })).toEqual([]);
    expect(requestBodyProblems('cart', { lineItems: [line()], attestationAccepted: true })).toEqual(['/: undocumented field "attestationAccepted"']);
    expect(requestBodyProblems('subscription', { Quantity: 4, Attributes: { Etag: 'x', ObjectType: 'Subscription' } })).toEqual([]);
    expect(requestBodyProblems('subscription', { quantity: 4, seats: 4 })).toEqual(['/: undocumented field "seats"']);
    expect(requestBodyProblems('license-update', { licensesToAssign: [{ skuId: 's', excludedPlans: null }], licensesToRemove: null })).toEqual([]);
    expect(requestBodyProblems('order', { lineItems: [{ lineItemNumber: 0, quantity: 1 }] })).toEqual(['/lineItems/0: missing required field "offerId"']);
  });
});

describe('the client', () => {
  it('refuses to send a body that is not the documented resource: a pcsync bug naming the request and the field, nothing sent', async () => {
    const sent: unknown[] = [];
    const client = new PartnerCenterClient({ send: async (req: unknown) => void sent.push(req) } as unknown as Transport);
    const err = await rejection<InternalError>(client.createCart(TAILSPIN, misplaced as unknown as CartRequest, 'request-1'));
    expect(err).toBeInstanceOf(InternalError);
    expect(err.message).toMatch(/^pcsync bug: the body of POST \/v1\/customers\/[^ ]+\/carts \(cart\.create\) is not the documented Cart resource/);
    expect(err.message).toContain('/lineItems/0: undocumented field "partnerOnRecordAttestationAccepted"');
    expect(err.message).toMatch(/Nothing was sent\.$/);
    const patch = await rejection<InternalError>(client.patchSubscription(TAILSPIN, 'sub', { seats: 4 }));
    expect(patch.message).toContain('undocumented field "seats"');
    expect(sent).toEqual([]);
    expect(client.writesSent).toBe(0);
  });
});

describe('the simulator', () => {
  const carts = `/v1/customers/${TAILSPIN}/carts`;

  it('answers an undocumented or misplaced field with 400 800002 naming it, and changes nothing', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const res = await api(sim.url, 'POST', carts, { body: misplaced });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 800002, source: 'PartnerFD', data: ['/lineItems/0: undocumented field "partnerOnRecordAttestationAccepted"'] });
    expect(res.body.description).toMatch(/not a valid Cart resource/);
    const patch = await api(sim.url, 'PATCH', `/v1/customers/${TAILSPIN}/subscriptions/B1B2C3D4-0000-4000-8000-0000000000e1`, { body: { Status: 'suspended', reason: 'x' } });
    expect(patch.status).toBe(400);
    expect(patch.body.data).toEqual(['/: undocumented field "reason"']);
    expect(sim.audit.entries.filter((e) => e.type !== 'request')).toEqual([]);
  });

  it('refuses a cart without the partner-of-record attestation (900206) and a line buying an attesting SKU without its own (900203)', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const cart = await api(sim.url, 'POST', carts, { body: { lineItems: [line({ attestationAccepted: true })] } });
    expect(cart.status).toBe(400);
    expect(cart.body).toMatchObject({ code: 900206, description: 'Partner Attestation is missing.' });
    const noLine = await api(sim.url, 'POST', carts, { body: { lineItems: [line()], partnerOnRecordAttestationAccepted: true } });
    expect(noLine.status).toBe(400);
    expect(noLine.body).toMatchObject({ code: 900203, description: 'CatalogItemId requires attestation acceptance.' });
    // The SKU says so, where pcsync reads it: the availability's sku, and the SKU itself.
    const [productId, skuId] = NCE.salesProOffer.split(':');
    const availabilities = await api(sim.url, 'GET', `/v1/customers/${TAILSPIN}/products/${productId}/skus/${skuId}/availabilities`);
    expect(availabilities.body.items[0].sku.attestationProperties).toEqual({ enforceAttestation: true });
    const sku = await api(sim.url, 'GET', `/v1/customers/${TAILSPIN}/products/${productId}/skus/${skuId}`);
    expect(sku.body).toMatchObject({ id: skuId, productId, attestationProperties: { enforceAttestation: true } });
    const ok = await api(sim.url, 'POST', carts, { body: { lineItems: [line({ attestationAccepted: true })], partnerOnRecordAttestationAccepted: true } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('a SKU that enforces no attestation needs none on the line', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    const res = await api(sim.url, 'POST', carts, { body: { lineItems: [line({ catalogItemId: `${NCE.e3Offer}:AV0001` })], partnerOnRecordAttestationAccepted: true } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('records each body it received in the audit log', async () => {
    sim = await startSim({ scenario: 'new-commerce' });
    await api(sim.url, 'POST', carts, { body: misplaced });
    expect(sim.audit.writes()[0]!.body).toEqual(misplaced);
  });
});
