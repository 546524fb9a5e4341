import { requireCustomer } from './customers.js';
import { updateLicenses } from './license-updates.js';
import { checkLicenceWriteRoles } from './gdap.js';
import { reportedUsage } from './read-gaps.js';
import type { Route } from './router.js';
import type { SimState } from './state.js';
import { pathUser, requireUser } from './lookup.js';
import { collection, enc } from './wire.js';

export function productSkuView(state: SimState, skuId: string): unknown {
  const sku = state.sku(skuId);
  return {
    id: sku?.skuId ?? skuId,
    name: sku?.name ?? skuId,
    skuPartNumber: sku?.skuPartNumber ?? skuId,
    targetType: 'User',
    licenseGroupId: 'group1',
  };
}

/**
 * The SKU's service plans (ServicePlan: id, displayName, serviceName, capabilityStatus, targetType; learn
 * license-resources, partner-center-2026-12.md §5); those in `disabled` show `capabilityStatus: "Disabled"`.
 */
export function plansView(state: SimState, skuId: string, disabled: readonly string[]): unknown[] {
  return (state.sku(skuId)?.servicePlans ?? []).map((p) => ({
    id: p.id,
    displayName: p.displayName,
    serviceName: p.serviceName,
    capabilityStatus: disabled.includes(p.id.toLowerCase()) ? 'Disabled' : 'Enabled',
    targetType: 'User',
  }));
}

export const licenseRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/subscribedskus',
    auth: 'app+user',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      const items = reportedUsage(ctx.state, c).map((u) => ({
        availableUnits: u.activeUnits - u.consumedUnits,
        activeUnits: u.activeUnits,
        consumedUnits: u.consumedUnits,
        suspendedUnits: u.suspendedUnits,
        warningUnits: 0,
        totalUnits: u.activeUnits,
        productSku: productSkuView(ctx.state, u.skuId),
        servicePlans: plansView(ctx.state, u.skuId, []),
        capabilityStatus: 'Enabled',
        attributes: { objectType: 'SubscribedSku' },
      }));
      return { status: 200, body: collection(items, `/customers/${enc(c.id)}/subscribedskus`) };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/users/:userId/licenses',
    auth: 'app+user',
    handle: (ctx, p) => {
      const { c, u } = pathUser(ctx, p);
      const items = u.licenses.map((l) => ({ servicePlans: plansView(ctx.state, l, u.disabledPlans[l.toLowerCase()] ?? []), productSku: productSkuView(ctx.state, l), attributes: { objectType: 'License' } }));
      return { status: 200, body: collection(items, `/customers/${enc(c.id)}/users/${enc(u.id)}/licenses`) };
    },
  },
  {
    method: 'POST',
    pattern: '/v1/customers/:customerId/users/:userId/licenseupdates',
    auth: 'app+user',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      checkLicenceWriteRoles(ctx, c.id);
      return { status: 201, body: updateLicenses(ctx, c, requireUser(ctx, c, p.userId!)) };
    },
  },
];
