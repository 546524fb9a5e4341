import { usageOf } from './accounting.js';
import { optionalArray, optionalString, requireObject } from './body.js';
import type { SimContext } from './context.js';
import { Code, invalidInput, SimFault } from './faults.js';
import type { SimCustomer, SimUser } from './model.js';
import { noteLicenceChange } from './read-gaps.js';

interface Assignment {
  skuId: string;
  excludedPlans: string[] | null;
}

function failed(description: string, data: string[]): SimFault {
  return new SimFault(400, Code.licenceUpdateFailed, `licence update failed: ${description}`, data);
}

/**
 * Removing a licence the user inherits from a group (API reference, 2026-11 additions: refused, the group keeps
 * granting it). Partner Center's exact code is not documented: the simulator answers 60000 with the wording
 * Entra ID uses for this refusal.
 */
function inheritedFromGroup(user: SimUser, skuId: string): SimFault {
  return new SimFault(400, Code.licenceUpdateFailed, 'User license is inherited from a group membership and it cannot be removed directly from the user.', [
    `LicenseAssignedByGroup : User ${user.upn} holds SKU ${skuId} through a group; change the group's licence instead.`,
  ]);
}

function readAssignments(body: unknown): Assignment[] {
  return optionalArray(body, 'licensesToAssign').map((item, i) => {
    const skuId = optionalString(requireObject(item, `licensesToAssign[${i}]`), 'skuId');
    if (skuId === undefined) throw invalidInput(`licensesToAssign[${i}]: skuId is required.`);
    const plans = optionalArray(item, 'excludedPlans');
    if (plans.some((x) => typeof x !== 'string')) throw invalidInput(`licensesToAssign[${i}]: excludedPlans must be strings.`);
    return { skuId, excludedPlans: plans.length > 0 ? (plans as string[]) : null };
  });
}

/** `excludedPlans` must be service plans of the SKU (lower-cased ids); anything else is refused like Entra: 400 60000. */
function checkedPlans(ctx: SimContext, skuId: string, plans: string[] | null): string[] {
  const offered = (ctx.state.sku(skuId)?.servicePlans ?? []).map((p) => p.id.toLowerCase());
  const ids = (plans ?? []).map((p) => p.toLowerCase());
  const unknown = ids.filter((id) => !offered.includes(id));
  if (unknown.length > 0) throw failed(`service plan(s) ${unknown.join(', ')} are not part of SKU ${skuId}`, unknown);
  return [...new Set(ids)].sort();
}

/**
 * Two SKUs whose service plans are mutually exclusive on one user (scenario `conflictsWith`, either side): 400
 * 60000 with Entra's explanation in the description and data (MicrosoftDocs/azure-docs#94140; the Entra group
 * licensing page names it MutuallyExclusiveViolation). Partner Center's own text for it is not documented.
 */
function conflicts(ctx: SimContext, user: SimUser, skuId: string, kept: readonly string[]): void {
  const sku = ctx.state.sku(skuId);
  for (const other of kept) {
    const o = ctx.state.sku(other);
    const clash = (sku?.conflictsWith ?? []).some((x) => x.toLowerCase() === other.toLowerCase()) || (o?.conflictsWith ?? []).some((x) => x.toLowerCase() === skuId.toLowerCase());
    if (clash) {
      throw new SimFault(400, Code.licenceUpdateFailed, `License assignment failed because service plans of ${sku?.skuPartNumber ?? skuId} and ${o?.skuPartNumber ?? other} are mutually exclusive.`, [
        `MutuallyExclusiveViolation : User ${user.upn} keeps ${o?.skuPartNumber ?? other}; disable the conflicting service plan or remove that licence in the same update.`,
      ]);
    }
  }
}

function readRemovals(body: unknown): string[] {
  const raw = optionalArray(body, 'licensesToRemove');
  if (raw.some((x) => typeof x !== 'string')) throw invalidInput('licensesToRemove must be an array of SKU ids.');
  return raw as string[];
}

/**
 * POST licenseupdates, atomically: everything is checked first (known SKUs, removals the user holds, a free unit
 * for every SKU the user gains), then assign + remove are applied as one change and audited once.
 */
export function updateLicenses(ctx: SimContext, c: SimCustomer, user: SimUser): unknown {
  const body = requireObject(ctx.body, 'The licence update');
  const assign = readAssignments(body);
  const remove = readRemovals(body);
  if (assign.length === 0 && remove.length === 0) throw invalidInput('Nothing to assign or remove.');
  const canonical = (id: string): string => {
    const sku = ctx.state.sku(id);
    if (!sku) throw failed(`unknown SKU ${id}`, [id]);
    return sku.skuId;
  };
  const assignIds = assign.map((a) => canonical(a.skuId));
  const removeIds = remove.map(canonical);
  const holds = (id: string) => user.licenses.some((l) => l.toLowerCase() === id.toLowerCase());
  for (const id of removeIds) {
    if (assignIds.includes(id)) throw failed(`SKU ${id} is both assigned and removed`, [id]);
    if (!holds(id)) throw failed(`user ${user.upn} does not hold SKU ${id}`, [id]);
    if (user.groupLicenses.some((g) => g.toLowerCase() === id.toLowerCase())) throw inheritedFromGroup(user, id);
  }
  const before = [...user.licenses];
  const kept = before.filter((l) => !removeIds.some((r) => r.toLowerCase() === l.toLowerCase()));
  const gained = [...new Set(assignIds.filter((id) => !holds(id)))];
  for (const id of gained) {
    const usage = usageOf(ctx.state, c, id);
    if (usage.consumedUnits + 1 > usage.activeUnits) {
      throw new SimFault(400, Code.licencesExhausted, 'Your organization has run out of licenses for this product. Buy more licenses or remove them from other users.', [
        `LicenseQuotaExceededException : Subscription with Account ${c.id} and SKU ${id} does not have any available licenses left.`,
      ]);
    }
  }
  for (const id of gained) conflicts(ctx, user, id, kept);
  const excluded = assign.map((a, i) => ({ sku: assignIds[i]!.toLowerCase(), ids: checkedPlans(ctx, assignIds[i]!, a.excludedPlans) }));
  const after = [...kept, ...gained];
  const plansBefore = JSON.stringify(user.disabledPlans);
  for (const id of removeIds) delete user.disabledPlans[id.toLowerCase()];
  // excludedPlans is the complete set for the SKU (assumed replace, partner-center-2026-12.md §5); null = none off.
  for (const { sku, ids } of excluded) {
    if (ids.length > 0) user.disabledPlans[sku] = ids;
    else delete user.disabledPlans[sku];
  }
  if (JSON.stringify(user.disabledPlans) !== plansBefore) ctx.audit.record({ type: 'service-plans-changed', customerId: c.id, userId: user.id, upn: user.upn, disabledPlans: structuredClone(user.disabledPlans) });
  if (removeIds.length > 0 || gained.length > 0) {
    user.licenses = after;
    noteLicenceChange(ctx.state, c, before, after);
    ctx.audit.record({ type: 'licenses-changed', customerId: c.id, userId: user.id, upn: user.upn, before, after: [...after] });
  }
  return {
    licensesToAssign: assign.map((a, i) => ({ skuId: assignIds[i], excludedPlans: a.excludedPlans })),
    licensesToRemove: removeIds,
    licenseWarnings: [],
    attributes: { objectType: 'LicenseUpdate' },
  };
}
