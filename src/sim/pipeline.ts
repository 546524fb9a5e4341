import { adminRoutes } from './admin.js';
import { renewalsDue } from './renewals.js';
import { afterCommitFaults } from './after-commit.js';
import { requireTokenKind } from './auth-guard.js';
import type { Middleware } from './context.js';
import { customerRoutes } from './customers.js';
import { licenseRoutes } from './licenses.js';
import { documentedBody, echoIds, faultBoundary, readJsonBody, recordRequest, requireBearer } from './middleware.js';
import { offerRoutes } from './offers.js';
import { orderRoutes } from './orders.js';
import { cartRoutes } from './carts.js';
import { priceSheetRoutes } from './price-sheet.js';
import { gdapRoutes } from './gdap.js';
import { agreementRoutes } from './agreements.js';
import { dispatch, resolveRoute, type Route } from './router.js';
import { subscriptionRoutes } from './subscriptions.js';
import { userRoutes } from './users.js';

export const ROUTES: readonly Route[] = [
  ...customerRoutes,
  ...subscriptionRoutes,
  ...orderRoutes,
  ...cartRoutes,
  ...offerRoutes,
  ...userRoutes,
  ...licenseRoutes,
  ...priceSheetRoutes,
  ...gdapRoutes,
  ...agreementRoutes,
];

/**
 * The request pipeline, outermost first. `behaviours` (throttling, injected faults, slow or reshaped replies)
 * slot in after the fault boundary, so what they throw becomes an ApiFault and what they answer is audited.
 */
export function buildPipeline(behaviours: readonly Middleware[] = []): Middleware[] {
  return [
    echoIds,
    recordRequest,
    faultBoundary,
    renewalsDue,
    adminRoutes,
    ...behaviours,
    afterCommitFaults,
    requireBearer,
    resolveRoute(ROUTES),
    requireTokenKind,
    readJsonBody,
    documentedBody,
    dispatch,
  ];
}
