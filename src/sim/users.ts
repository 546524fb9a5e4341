import type { SimContext } from './context.js';
import { requireCustomer } from './customers.js';
import { Code, SimFault } from './faults.js';
import type { SimCustomer, SimUser } from './model.js';
import { seekPage } from './paging.js';
import type { Route } from './router.js';
import { enc, link } from './wire.js';

/** A user of the customer, or 404 / 60002. */
export function requireUser(ctx: SimContext, c: SimCustomer, id: string): SimUser {
  const u = ctx.state.user(c, id);
  if (!u || u.deleted) throw new SimFault(404, Code.userNotFound, `User object id ${id} was not found in customer ${c.id}.`, [id]);
  return u;
}

function userView(c: SimCustomer, u: SimUser): unknown {
  return {
    id: u.id,
    userPrincipalName: u.upn,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: u.displayName,
    usageLocation: u.usageLocation,
    userDomainType: 'managed',
    state: 'active',
    links: { self: link(`/customers/${enc(c.id)}/users/${enc(u.id)}`) },
    attributes: { objectType: 'CustomerUser' },
  };
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/users',
    auth: 'app+user',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      const all = c.users.filter((u) => !u.deleted).map((u) => userView(c, u));
      return { status: 200, body: seekPage(ctx, all, `users:${c.id.toLowerCase()}`, `/v1/customers/${enc(c.id)}/users`) };
    },
  },
];
