import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AJV_OPTIONS_FOR_OWN_SCHEMAS } from '../core/own-schemas.js';
import { InternalError } from '../core/errors.js';
import { packageRoot } from '../core/version.js';
import { withoutNulls } from './decode.js';
import { camelizeKeys } from './parse.js';

/**
 * JSON Schemas of the request bodies pcsync sends, written from Partner Center's documented resources
 * (`schemas/partner-center/<name>.schema.json`; each names its Learn pages). The client checks every body
 * against them before sending (a body that fails is a pcsync bug: nothing is sent), and the simulator checks
 * what it receives the same way (an undocumented or misplaced field → 400), so a body shaped after the
 * simulator rather than the reference fails in tests.
 *
 * Partner Center matches property names case-insensitively (API reference §0), so a body is compared in
 * lowerCamel case; a `null` counts as absent, as the documented samples send it for optional fields.
 */
export type RequestBody = 'order' | 'cart' | 'subscription' | 'license-update';

/** The documented resource each body is, in words for messages. */
export const RESOURCE_OF: Readonly<Record<RequestBody, string>> = {
  order: 'Order resource (learn create-an-order)',
  cart: 'Cart resource (learn cart-resources, create-a-cart)',
  subscription: 'Subscription resource (learn subscription-resources)',
  'license-update': 'LicenseUpdate resource (learn assign-licenses-to-a-user)',
};

/** The writes whose body is a documented resource: method, path (no query) and the schema of its body. */
const ROUTES: readonly (readonly [string, RegExp, RequestBody])[] = [
  ['POST', /^\/v1\/customers\/[^/]+\/orders$/i, 'order'],
  ['POST', /^\/v1\/customers\/[^/]+\/carts$/i, 'cart'],
  ['PUT', /^\/v1\/customers\/[^/]+\/carts\/[^/]+$/i, 'cart'],
  ['PATCH', /^\/v1\/customers\/[^/]+\/subscriptions\/[^/]+$/i, 'subscription'],
  ['POST', /^\/v1\/customers\/[^/]+\/users\/[^/]+\/licenseupdates$/i, 'license-update'],
];

/** The schema of a request's body, by method and path (a query string is ignored); undefined = no documented body. */
export function requestBodyOf(method: string, path: string): RequestBody | undefined {
  const bare = path.split('?')[0]!;
  return ROUTES.find(([m, re]) => m === method.toUpperCase() && re.test(bare))?.[2];
}

/** `schemas/partner-center/` of the package. */
const schemaDir = new URL('schemas/partner-center/', packageRoot);
const ajv = new Ajv({ allErrors: true, strict: true, ...AJV_OPTIONS_FOR_OWN_SCHEMAS });
const loaded = new Map<RequestBody, { schema: { properties: Record<string, unknown> }; validate: ValidateFunction }>();

function load(name: RequestBody) {
  let one = loaded.get(name);
  if (!one) {
    const url = new URL(`${name}.schema.json`, schemaDir);
    let schema: { properties: Record<string, unknown> };
    try {
      schema = JSON.parse(readFileSync(url, 'utf8')) as typeof schema;
    } catch (err) {
      throw new InternalError(`cannot load JSON schema ${url.pathname}`, { cause: err });
    }
    one = { schema, validate: ajv.compile(schema) };
    loaded.set(name, one);
  }
  return one;
}

/**
 * Every way `body` is not the documented resource, in words (`/lineItems/0: undocumented field "x"`); [] = it is.
 * `shape: 'fields'` reports only undocumented or misplaced fields and wrong types, leaving missing fields and
 * out-of-range values to whoever answers them with a more specific documented code (the simulator's routes).
 */
export function requestBodyProblems(name: RequestBody, body: unknown, opts: { shape?: 'all' | 'fields' } = {}): string[] {
  const { validate } = load(name);
  if (validate(withoutNulls(camelizeKeys(body)))) return [];
  const fieldsOnly = opts.shape === 'fields';
  return (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && (!fieldsOnly || FIELD_KEYWORDS.has(e.keyword))).map(describe);
}

const FIELD_KEYWORDS = new Set(['additionalProperties', 'type']);

/** The top-level fields the resource documents (e.g. every Subscription field, to PATCH back the full resource). */
export function documentedFields(name: RequestBody): readonly string[] {
  return Object.keys(load(name).schema.properties);
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${at}: undocumented field "${String(e.params['additionalProperty'])}"`;
  if (e.keyword === 'required') return `${at}: missing required field "${String(e.params['missingProperty'])}"`;
  return `${at}: ${e.message ?? 'is not valid'}`;
}
