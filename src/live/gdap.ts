import { GraphError, type GraphClient, type WireAccessAssignment, type WireGdapRelationship } from '../partner-center/graph.js';
import { LICENCE_WRITE_ROLE_IDS, roleName } from '../partner-center/gdap-roles.js';
import { LICENCE_WRITE_ROLES } from '../partner-center/errors.js';
import type { LiveGdap } from './types.js';

/** Days before a relationship's end from which the plan warns that it ends soon. */
const ENDING_SOON_DAYS = 14;

const ACT = 'the partner admin must act';

/**
 * The read-only pre-check of licence writes (partner-center-2026-12.md §1 "The full check"): the customer's GDAP
 * relationship is active and not ended, one of its active access assignments holds License Administrator, User
 * Administrator or Directory Writers (the roles `licenseupdates` accepts, learn `assign-licenses-to-a-user`),
 * and the signed-in partner user is in that assignment's security group. The relationships list and the
 * user's groups are read once per run (partner-level facts); each customer's access assignments are its own
 * read, and its verdict depends only on its own relationship and `now`.
 */
export class GdapReader {
  #relationships?: Promise<WireGdapRelationship[]>;
  #groups?: Promise<string[]>;

  constructor(private readonly graph: GraphClient | { readonly unavailable: string }) {}

  /** The verdict for one customer at `now` (ISO). Never throws: what cannot be read is "not verified". */
  async accessFor(customerId: string, now: string): Promise<LiveGdap> {
    if (!('listRelationships' in this.graph)) return unknown(`GDAP access for licence writes (${this.graph.unavailable})`);
    const graph = this.graph;
    try {
      // A failed read is not kept: the next customer (or apply's re-plan) asks again.
      const all = await (this.#relationships ??= graph.listRelationships().catch((err: unknown) => {
        this.#relationships = undefined;
        throw err;
      }));
      const own = all.filter((r) => (r.customer?.tenantId ?? '').toLowerCase() === customerId.toLowerCase());
      if (own.length === 0) return refused(`the partner has no GDAP relationship with this customer`, `${ACT}: request a GDAP relationship with ${LICENCE_WRITE_ROLES} (the customer's admin approves it)`);
      const at = Date.parse(now);
      // An active relationship without an end date (Graph leaves endDateTime out) has not ended.
      const active = own.filter((r) => r.status?.toLowerCase() === 'active' && (!r.endDateTime || !(Date.parse(r.endDateTime) <= at)));
      if (active.length === 0) {
        const seen = own.map((r) => `${r.status ?? 'unknown'}${r.endDateTime ? `, ends ${r.endDateTime}` : ''}`).join('; ');
        return refused(`the GDAP relationship with this customer is not active (${seen})`, `${ACT}: request a new GDAP relationship with ${LICENCE_WRITE_ROLES} (the customer's admin approves it), or extend the current one`);
      }
      const assignments = (await Promise.all(active.map((r) => graph.listAccessAssignments(r.id ?? '')))).flat();
      const writers = assignments.filter((a) => a.status?.toLowerCase() === 'active' && rolesOf(a).some((r) => LICENCE_WRITE_ROLE_IDS.includes(r)));
      const ends = active.map((r) => r.endDateTime).filter((d): d is string => !!d && Number.isFinite(Date.parse(d)));
      const endsAt = ends.length === active.length ? earliest(ends) : undefined;
      const ending = endsAt ? { relationshipEnds: endsAt, ...(Date.parse(endsAt) - at < ENDING_SOON_DAYS * 86_400_000 ? { endsAt } : {}) } : {};
      if (writers.length === 0) {
        const held = describe(assignments);
        return {
          ...refused(
            `no active GDAP access assignment for this customer holds ${LICENCE_WRITE_ROLES}${held ? ` (assigned: ${held})` : ''}`,
            `${ACT}: assign License Administrator to the security group of the partner user pcsync signs in as (a role the relationship lacks needs a new relationship the customer approves)`,
          ),
          ...ending,
        };
      }
      const groups = writers.map((a) => (a.accessContainer?.accessContainerId ?? '').toLowerCase());
      const mine = await (this.#groups ??= graph.myGroupIds().catch((err: unknown) => {
        this.#groups = undefined;
        throw err;
      })).catch((err: unknown) => {
        if (err instanceof GraphError) return err;
        throw err;
      });
      if (mine instanceof GraphError) {
        return { ...unknown(`whether the signed-in partner user is in ${groups.join(' or ')}, the group(s) holding ${LICENCE_WRITE_ROLES} (${mine.message})`, mine.transient), ...ending };
      }
      if (!groups.some((g) => mine.includes(g))) {
        return { ...refused(`the signed-in partner user is in none of the groups assigned ${LICENCE_WRITE_ROLES} for this customer (${groups.join(', ')})`, `${ACT}: add that user to ${groups[0]}`), ...ending };
      }
      return { licenceWrites: 'allowed', ...ending };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      const fix = err.status === 403 ? '; the partner admin can grant the app DelegatedAdminRelationship.Read.All' : '';
      return unknown(`GDAP access for licence writes (${err.message}${fix})`, err.transient);
    }
  }
}

function rolesOf(a: WireAccessAssignment): string[] {
  return (a.accessDetails?.unifiedRoles ?? []).map((r) => (r.roleDefinitionId ?? '').toLowerCase());
}

function describe(assignments: readonly WireAccessAssignment[]): string {
  return assignments.map((a) => `${a.accessContainer?.accessContainerId ?? '?'} ${a.status ?? '?'}: ${rolesOf(a).map(roleName).join(', ') || 'no roles'}`).join('; ');
}

function earliest(dates: readonly string[]): string {
  return [...dates].sort((a, b) => Date.parse(a) - Date.parse(b))[0]!;
}

function refused(why: string, fix: string): LiveGdap {
  return { licenceWrites: 'refused', why, fix };
}

function unknown(notVerified: string, transient = false): LiveGdap {
  return { licenceWrites: 'unknown', notVerified, ...(transient && { transient: true }) };
}
