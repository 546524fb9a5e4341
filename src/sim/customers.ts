import type { SimContext } from './context.js';
import { Code, SimFault } from './faults.js';
import type { SimCustomer } from './model.js';
import { seekPage } from './paging.js';
import type { Route } from './router.js';
import { enc, link } from './wire.js';

/**
 * The customer a path names, or 403 / 20002 (the partner has no relationship with it) — also for a customer still
 * listed whose relationship ended (option `relationshipEnded`, microsoft/Partner-Smart-Office#12).
 */
export function requireCustomer(ctx: SimContext, id: string): SimCustomer {
  const c = ctx.state.customer(id);
  const ended = (ctx.state.options.relationshipEnded ?? []).some((e) => e.toLowerCase() === id.toLowerCase());
  if (!c || ended) {
    throw new SimFault(403, Code.noRelationship, `Partner does not have a commerce relationship with customer ${id}.`, [id]);
  }
  return c;
}

export function customerView(c: SimCustomer): unknown {
  return {
    id: c.id,
    commerceId: c.id,
    companyProfile: {
      tenantId: c.id,
      domain: c.domain,
      companyName: c.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: 'reseller',
    allowDelegatedAccess: true,
    links: { self: link(`/customers/${enc(c.id)}`) },
    attributes: { objectType: 'Customer' },
  };
}

export const customerRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/customers',
    auth: 'app',
    handle: (ctx) => {
      const all = [...ctx.state.customers.values()].map(customerView);
      return { status: 200, body: seekPage(ctx, all, 'customers', '/v1/customers') };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId',
    auth: 'app',
    handle: (ctx, p) => ({ status: 200, body: customerView(requireCustomer(ctx, p.customerId!)) }),
  },
];
