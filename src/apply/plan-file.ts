import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { hashOf, prettyStableJson } from '../core/hash.js';
import { PLAN_FORMAT_VERSION, type CustomerPlan, type Plan } from '../plan/types.js';
import { excerpt, inertText } from '../core/inert.js';

/**
 * A saved plan file is the JSON plan plus `integrity`: a hash over everything else in the file. pcsync
 * refuses a file whose content no longer matches it (edited by hand, cut short, merged badly) before it
 * sends a single request. It detects edits; it is not a signature — what reviewers approve is the plan's
 * `actionsHash`, which apply can be told to insist on (`approvedHash`).
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

/** The text of a plan file: the JSON plan text sealed with its integrity hash. */
export function sealPlanJson(planJson: string): string {
  const body = JSON.parse(planJson) as Record<string, unknown>;
  delete body[INTEGRITY_FIELD];
  return prettyStableJson({ ...body, [INTEGRITY_FIELD]: hashOf(body) });
}

/** Reads and checks a plan file; every refusal is a UserError naming the file, thrown before any request. */
export function readPlanFile(path: string, shownAs: string, expect: PlanFileExpectations): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError('plan.unreadable', `${shownAs}: ${code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'unknown error'})`}.`);
  }
  return verifyPlan(text, shownAs, expect);
}

/** The checks of `readPlanFile` on the file's text, in order: JSON → version → integrity → origin → approval. */
export function verifyPlan(text: string, shownAs: string, expect: PlanFileExpectations): Plan {
  const data = parse(text, shownAs);
  const version = data.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new UserError('plan.version', `${shownAs}: plan format version ${inertText(String(version)).slice(0, 40)} is not supported (this pcsync reads version ${PLAN_FORMAT_VERSION}); run plan again.`);
  }
  const { [INTEGRITY_FIELD]: integrity, ...body } = data;
  if (typeof integrity !== 'string') {
    throw new UserError('plan.unsealed', `${shownAs}: has no integrity hash, so pcsync cannot tell whether it is the plan it made; save plans with pcsync plan --out <file>.`);
  }
  if (hashOf(body) !== integrity) {
    throw new UserError('plan.tampered', `${shownAs}: was changed after pcsync saved it (its content no longer matches its integrity hash); nothing was sent. Do not edit plans: change desired-state/ and run pcsync plan --out again.`);
  }
  const plan = body as unknown as Plan;
  if (!wellFormed(plan)) {
    throw new UserError('plan.malformed', `${shownAs}: not a pcsync plan (customers with their actions are missing or malformed); run plan again.`);
  }
  if (plan.pcsyncVersion !== expect.pcsyncVersion) {
    throw new UserError('plan.other-version', `${shownAs}: was made by pcsync ${inertText(String(plan.pcsyncVersion)).slice(0, 40)}, this is pcsync ${expect.pcsyncVersion}; run plan again with this version.`);
  }
  if (plan.desiredHash !== expect.desiredHash) {
    throw new UserError('plan.other-desired-state', `${shownAs}: was made from different desired state than ${expect.desiredDir} has now; run plan again.`);
  }
  if (expect.approvedHash !== undefined && plan.actionsHash !== expect.approvedHash) {
    throw new UserError(
      'plan.not-approved',
      `${shownAs}: its actions hash ${plan.actionsHash} is not the approved ${expect.approvedHash}, so it would do something other than what was reviewed; nothing was sent. Review the new plan.`,
    );
  }
  return plan;
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
