import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { hashOf, stableStringify } from '../core/hash.js';
import { actionsHashOf } from '../plan/actions-hash.js';
import { PLAN_FORMAT_VERSION, type CustomerPlan, type Plan } from '../plan/types.js';
import { packCustomer, packPlan, unpackPlan } from './plan-pack.js';
import { excerpt, inertText } from '../core/inert.js';

/**
 * A saved plan file is the JSON plan plus `integrity`: a hash over everything else in the file. pcsync
 * refuses a file whose content no longer matches it (edited by hand, cut short, merged badly) before it
 * sends a single request. It detects accidents, not intent: anyone who can edit the file can recompute it (it is
 * not a signature). What binds an apply to a review is `approvedHash`: apply recomputes the actions hash from the
 * actions in the file (never reading the file's own `actionsHash` field for it), and re-plans every customer
 * before touching it, running nothing the re-plan does not produce.
 */
export const INTEGRITY_FIELD = 'integrity';

/** What a plan file must agree with before anything is applied. */
export interface PlanFileExpectations {
  /** Content hash of the desired state on disk now. */
  readonly desiredHash: string;
  /** Desired-state directory as the user named it, for messages. */
  readonly desiredDir: string;
  /** This pcsync's version: a plan is applied by the version that made it. */
  readonly pcsyncVersion: string;
  /** The actions hash reviewers approved (e.g. from the PR comment), when the caller has one. */
  readonly approvedHash?: string;
}

/**
 * The text of a plan file: what apply needs and nothing else — the plan with its actions packed (plan-pack.ts),
 * without the JSON render's per-customer `patch` (derived from the actions, for tools) — as compact stable JSON,
 * sealed with its integrity hash. About 8 KB per customer of a fleet migration instead of ~60 KB.
 */
export function sealPlan(plan: Plan): string {
  const parts: string[] = [];
  sealPlanTo(plan, (chunk) => parts.push(chunk));
  return parts.join('');
}

/** Stand-ins for the customers and the integrity hash in the plan's outer text; JSON escapes the NUL, so no value holds them. */
const CUSTOMERS_SLOT = '\u0000pcsync:customers';
const INTEGRITY_SLOT = '\u0000pcsync:integrity';

/**
 * `sealPlan`, handed to `write` a customer at a time (`plan --out` writes a fleet's plan without ever holding its
 * text): the body's hash is fed the same bytes as they are written, and the integrity field — after `customers`
 * in the sorted keys — is filled in once they are all written. Same bytes as `sealPlan`.
 */
export function sealPlanTo(plan: Plan, write: (chunk: string) => void): void {
  if (!Array.isArray(plan.customers)) {
    // a malformed plan (only from a test or a hand-made file): sealed whole, for the reader to refuse by name
    const body = packPlan(plan);
    write(`${stableStringify({ ...body, [INTEGRITY_FIELD]: hashOf(body) })}\n`);
    return;
  }
  const outer = { ...packPlan({ ...plan, customers: [] }), customers: CUSTOMERS_SLOT };
  const [bodyHead, bodyTail] = split(stableStringify(outer), CUSTOMERS_SLOT);
  const [fileHead, fileTail] = split(stableStringify({ ...outer, [INTEGRITY_FIELD]: INTEGRITY_SLOT }), CUSTOMERS_SLOT);
  if (!fileTail.includes(JSON.stringify(INTEGRITY_SLOT))) throw new Error('sealPlanTo: the integrity field does not sort after customers');
  const hash = createHash('sha256').update(bodyHead);
  const both = (text: string) => {
    hash.update(text);
    write(text);
  };
  write(fileHead);
  both('[');
  plan.customers.forEach((c, i) => both(`${i > 0 ? ',' : ''}${stableStringify(Array.isArray(c?.actions) ? packCustomer(c) : c) ?? 'null'}`));
  both(']');
  hash.update(bodyTail);
  write(`${fileTail.replace(JSON.stringify(INTEGRITY_SLOT), JSON.stringify(`sha256:${hash.digest('hex')}`))}\n`);
}

/** `text` before and after the JSON string `slot` (which it holds once). */
function split(text: string, slot: string): [string, string] {
  const quoted = JSON.stringify(slot);
  const at = text.indexOf(quoted);
  return [text.slice(0, at), text.slice(at + quoted.length)];
}

/** `sealPlan` of a JSON plan text (the JSON render, or a plan file: sealing again gives the same bytes). */
export function sealPlanJson(planJson: string): string {
  const data = unpackPlan(JSON.parse(planJson) as Record<string, unknown>);
  delete data[INTEGRITY_FIELD];
  const customers = Array.isArray(data.customers) ? (data.customers as Record<string, unknown>[]).map(({ patch: _patch, ...c }) => c) : data.customers;
  return sealPlan({ ...data, customers } as unknown as Plan);
}

/** Reads and checks a plan file; every refusal is a UserError naming the file, thrown before any request. */
export function readPlanFile(path: string, shownAs: string, expect: PlanFileExpectations): Plan {
  return verifyPlan(readPlanText(path, shownAs), shownAs, expect);
}

/** The checks of `readPlanFile` on the file's text, in order: JSON → version → integrity → origin → approval. */
export function verifyPlan(text: string, shownAs: string, expect: PlanFileExpectations): Plan {
  const data = parse(text, shownAs);
  checkVersion(data, shownAs);
  const { [INTEGRITY_FIELD]: integrity, ...body } = data;
  if (typeof integrity !== 'string') {
    throw new UserError('plan.unsealed', `${shownAs}: has no integrity hash, so pcsync cannot tell whether it is the plan it made; save plans with pcsync plan --out <file>.`);
  }
  if (hashOf(body) !== integrity) {
    throw new UserError('plan.tampered', `${shownAs}: was changed after pcsync saved it (its content no longer matches its integrity hash); nothing was sent. Do not edit plans: change desired-state/ and run pcsync plan --out again.`);
  }
  const plan = unpackPlan(body) as unknown as Plan;
  if (!wellFormed(plan)) {
    throw new UserError('plan.malformed', `${shownAs}: not a pcsync plan (customers with their actions are missing or malformed); run plan again.`);
  }
  refuseRepeatedCustomer(plan, shownAs);
  if (plan.pcsyncVersion !== expect.pcsyncVersion) {
    throw new UserError('plan.other-version', `${shownAs}: was made by pcsync ${inertText(String(plan.pcsyncVersion)).slice(0, 40)}, this is pcsync ${expect.pcsyncVersion}; run plan again with this version.`);
  }
  if (plan.desiredHash !== expect.desiredHash) {
    throw new UserError('plan.other-desired-state', `${shownAs}: was made from different desired state than ${expect.desiredDir} has now; run plan again.`);
  }
  const actionsHash = actionsHashOf(plan.customers, plan.cost);
  if (plan.actionsHash !== actionsHash) {
    throw new UserError('plan.tampered', `${shownAs}: its actionsHash field does not match its actions (they hash to ${actionsHash}); the plan was edited. Nothing was sent; run plan again.`);
  }
  if (expect.approvedHash !== undefined && actionsHash !== expect.approvedHash) {
    throw new UserError(
      'plan.not-approved',
      `${shownAs}: its actions hash ${actionsHash} is not the approved ${expect.approvedHash}, so it would do something other than what was reviewed (the hash covers every action and each purchase's unit price and currency: a price that changed since the review changes it too); nothing was sent. Review the new plan.`,
    );
  }
  return plan;
}

/** What changed in each older plan format, for the refusal: a plan is never converted behind a reviewer's back. */
const OLDER_FORMATS: Readonly<Record<string, string>> = {
  '1': 'version 1 stored every retirement as kind "suspend" (a cancellation of a new-commerce subscription looked like a suspension); version 2 names each for what it does: suspend, cancel (with its end-at-term fallback) or end-at-term',
  '2': 'version 3 adds schedule-renewal actions (changes at the next renewal) and prices them in cost.renewals',
};

/** Refuses a plan of another format version by name, saying what changed and what to do. */
function checkVersion(data: Record<string, unknown>, shownAs: string): void {
  const version = data.formatVersion;
  if (version === PLAN_FORMAT_VERSION) return;
  const older = OLDER_FORMATS[String(version)];
  const why = older ? `it was made by an older pcsync (${older})` : `this pcsync reads version ${PLAN_FORMAT_VERSION}`;
  throw new UserError(
    'plan.version',
    `${shownAs}: ${version === undefined ? 'has no plan format version (formatVersion)' : `plan format version ${typeof version === 'number' ? version : inertText(JSON.stringify(version)).slice(0, 40)} is not supported`}: ${why}. Nothing was sent. Run pcsync plan --out again with this pcsync and have the new plan reviewed (its actions hash differs from the old one's).`,
  );
}

/** A plan file's text; a missing or unreadable file is a UserError naming it. */
function readPlanText(path: string, shownAs: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError('plan.unreadable', `${shownAs}: ${code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'unknown error'})`}.`);
  }
}

function parse(text: string, shownAs: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError('plan.unreadable', `${shownAs}: not valid JSON (${excerpt((err as Error).message, 80)}).`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('plan.unreadable', `${shownAs}: not a pcsync plan (expected a JSON object).`);
  }
  return data as Record<string, unknown>;
}

/** Enough shape for apply to walk the plan without tripping: customers, each with an id, actions and blockers. */
function wellFormed(plan: Plan): boolean {
  const customers: unknown = plan.customers;
  return (
    Array.isArray(customers) &&
    customers.every((c: Partial<CustomerPlan> | null) => typeof c?.customerId === 'string' && Array.isArray(c.actions) && Array.isArray(c.blockers))
  );
}

/**
 * A saved plan for reading only (`pcsync show`): JSON → version → integrity → shape, the first checks of
 * `verifyPlan`, without comparing it to the desired state or this pcsync's version. An edited file is refused:
 * a reviewer must never be shown a plan pcsync did not make.
 */
export function readSavedPlan(path: string, shownAs: string): Plan {
  const data = parse(readPlanText(path, shownAs), shownAs);
  checkVersion(data, shownAs);
  const { [INTEGRITY_FIELD]: integrity, ...body } = data;
  if (typeof integrity !== 'string' || hashOf(body) !== integrity) {
    throw new UserError('plan.tampered', `${shownAs}: ${typeof integrity === 'string' ? 'was changed after pcsync saved it' : 'has no integrity hash'}, so it is not a plan pcsync made; save plans with pcsync plan --out <file>.`);
  }
  const plan = unpackPlan(body) as unknown as Plan;
  if (!wellFormed(plan)) throw new UserError('plan.malformed', `${shownAs}: not a pcsync plan (customers with their actions are missing or malformed).`);
  refuseRepeatedCustomer(plan, shownAs);
  // The integrity field can be recomputed by anyone: the actions must also hash to the hash the file shows.
  if (actionsHashOf(plan.customers, plan.cost) !== plan.actionsHash) {
    throw new UserError('plan.tampered', `${shownAs}: its actions do not hash to its actionsHash field; the plan was edited, so it is not shown.`);
  }
  return plan;
}

/**
 * pcsync plans each customer once; a file naming one twice was edited or merged badly. Refused by name before
 * anything else (apply would otherwise lock the customer for its first entry and refuse the second as locked).
 */
function refuseRepeatedCustomer(plan: Plan, shownAs: string): void {
  const seen = new Set<string>();
  for (const c of plan.customers) {
    const id = c.customerId.toLowerCase();
    if (seen.has(id)) {
      throw new UserError('plan.repeated-customer', `${shownAs}: names customer ${inertText(c.customerId).slice(0, 60)} twice; pcsync plans each customer once, so the file was edited or merged badly. Nothing was sent; run plan again.`);
    }
    seen.add(id);
  }
}
