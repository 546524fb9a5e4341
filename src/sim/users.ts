import { requireCustomer } from './customers.js';
import type { SimCustomer, SimUser } from './model.js';
import { seekPage } from './paging.js';
import type { Route } from './router.js';
import { enc, link } from './wire.js';

export { requireUser } from './lookup.js';

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
