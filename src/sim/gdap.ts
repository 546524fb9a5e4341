import { deterministicUuid } from '../core/hash.js';
import { ENTRA_ROLE, LICENCE_WRITE_ROLE_IDS } from '../partner-center/gdap-roles.js';
import type { SimContext } from './context.js';
import { SimFault } from './faults.js';
import type { Route } from './router.js';
import type { SimGdapRelationship } from './options.js';
import type { SimState } from './state.js';

export type { SimGdapAssignment, SimGdapOptions, SimGdapRelationship } from './options.js';

/** Microsoft Graph's token audience: the GDAP reads live in the partner tenant's Graph, not Partner Center. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** The security group the signed-in partner user is in by default, holding the default access assignment. */
export const DEFAULT_GDAP_GROUP = '6a1d0000-0000-4000-8000-00000000ad01';

/** The default relationship: active, License Administrator and Directory Readers for the default group. */
function defaultRelationship(): SimGdapRelationship {
  return { assignments: [{ group: DEFAULT_GDAP_GROUP, roles: [ENTRA_ROLE.licenseAdministrator, ENTRA_ROLE.directoryReaders] }] };
}

/** The relationship of a customer (lower-case id lookup), or undefined when it has none. */
export function relationshipOf(state: SimState, customerId: string): SimGdapRelationship | undefined {
  const given = Object.entries(state.options.gdap?.customers ?? {}).find(([id]) => id.toLowerCase() === customerId.toLowerCase());
  if (given) return given[1] ?? undefined;
  return defaultRelationship();
}

function userGroups(state: SimState): string[] {
  return (state.options.gdap?.userGroups ?? [DEFAULT_GDAP_GROUP]).map((g) => g.toLowerCase());
}

/**
 * With the `gdap` option on, a licence update for a customer whose relationship is not active (or has ended), or
 * where no active access assignment of the user's groups holds License Administrator, User Administrator or
 * Directory Writers, is refused: 403 900308 "Insufficient privileges to complete the operation." (or 900150).
 * Without the option, licence writes are never refused for roles.
 */
export function checkLicenceWriteRoles(ctx: SimContext, customerId: string): void {
  const gdap = ctx.state.options.gdap;
  if (!gdap) return;
  const rel = relationshipOf(ctx.state, customerId);
  const groups = userGroups(ctx.state);
  const active = rel && (rel.status ?? 'active') === 'active' && Date.parse(rel.endDateTime ?? '2099-01-01T00:00:00Z') > ctx.state.now();
  const allowed =
    active &&
    rel.assignments.some((a) => (a.status ?? 'active') === 'active' && groups.includes(a.group.toLowerCase()) && a.roles.some((r) => LICENCE_WRITE_ROLE_IDS.includes(r.toLowerCase())));
  if (allowed) return;
  if (gdap.refusalCode === 900150) throw new SimFault(403, 900150, 'The supplied role does not have the rights to perform the requested operation.');
  throw new SimFault(403, 900308, 'Insufficient privileges to complete the operation.');
}

function graphError(status: number, code: string, message: string) {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, '') } } } };
}

function relationshipView(state: SimState, customerId: string, companyName: string, rel: SimGdapRelationship): object {
  const roles = rel.roles ?? [...new Set(rel.assignments.flatMap((a) => a.roles))];
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
    id: relationshipId(customerId),
    displayName: `pcsync-sim-${customerId.slice(0, 8)}`,
    duration: 'P730D',
    status: rel.status ?? 'active',
    autoExtendDuration: 'P180D',
    createdDateTime: '2026-01-01T00:00:00Z',
    activatedDateTime: '2026-01-02T00:00:00Z',
    ...(rel.endDateTime !== null && { endDateTime: rel.endDateTime ?? '2099-01-01T00:00:00Z' }),
    customer: { tenantId: customerId, displayName: companyName },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

function relationshipId(customerId: string): string {
  return `${deterministicUuid(`gdap:${customerId.toLowerCase()}`)}-${deterministicUuid(`gdap2:${customerId.toLowerCase()}`)}`;
}

/** Graph pages of at most `$top` (default 100, max 300) with `@odata.nextLink` carrying `$skiptoken`. */
function page(ctx: SimContext, items: object[], base: string): object {
  const top = Math.min(300, Math.max(1, Number(ctx.query.get('$top') ?? 100) || 100));
  const skip = Number(ctx.query.get('$skiptoken') ?? 0) || 0;
  const next = skip + top < items.length ? `${ctx.req.headers.host ? `http://${ctx.req.headers.host}` : ''}${base}?$top=${top}&$skiptoken=${skip + top}` : undefined;
  return { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${base.split('/').pop()}`, value: items.slice(skip, skip + top), ...(next && { '@odata.nextLink': next }) };
}

const GRAPH = { auth: 'app+user' as const, audience: GRAPH_AUDIENCE };
const LIST = '/v1.0/tenantRelationships/delegatedAdminRelationships';

export const gdapRoutes: Route[] = [
  {
    method: 'GET',
    pattern: LIST,
    ...GRAPH,
    handle: (ctx) => {
      if (ctx.state.options.gdap?.relationshipsReadable === false) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const items = [...ctx.state.customers.values()].flatMap((c) => {
        const rel = relationshipOf(ctx.state, c.id);
        return rel ? [relationshipView(ctx.state, c.id, c.companyName, rel)] : [];
      });
      return { status: 200, body: page(ctx, items, LIST) };
    },
  },
  {
    method: 'GET',
    pattern: `${LIST}/:relationshipId/accessAssignments`,
    ...GRAPH,
    handle: (ctx, p) => {
      if (ctx.state.options.gdap?.relationshipsReadable === false) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const customer = [...ctx.state.customers.values()].find((c) => relationshipId(c.id) === p.relationshipId!.toLowerCase());
      const rel = customer && relationshipOf(ctx.state, customer.id);
      if (!customer || !rel) return graphError(404, 'Request_ResourceNotFound', `Resource '${p.relationshipId}' does not exist.`);
      const items = rel.assignments.map((a, i) => ({
        '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
        id: deterministicUuid(`gdap-assignment:${customer.id.toLowerCase()}:${i}`),
        status: a.status ?? 'active',
        createdDateTime: '2026-01-02T00:00:00Z',
        lastModifiedDateTime: '2026-01-02T00:00:00Z',
        accessContainer: { accessContainerId: a.group, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: a.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
      }));
      return { status: 200, body: page(ctx, items, `${LIST}/${p.relationshipId}/accessAssignments`) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/me/transitiveMemberOf/microsoft.graph.group',
    ...GRAPH,
    handle: (ctx) => {
      if (ctx.state.options.gdap?.membershipReadable === false) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const items = userGroups(ctx.state).map((id) => ({ '@odata.type': '#microsoft.graph.group', id, displayName: id === DEFAULT_GDAP_GROUP ? 'pcsync licence admins' : id }));
      return { status: 200, body: page(ctx, items, '/v1.0/me/transitiveMemberOf/microsoft.graph.group') };
    },
  },
];
