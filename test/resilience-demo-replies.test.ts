import { afterEach, describe, expect, it } from 'vitest';
import { count, migrateDemoUnder, type Behaviour } from './helpers/resilience.js';
import type { StartedSim } from './helpers/sim.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const behaviours: Behaviour[] = [
  { name: 'BOM and PascalCase in every reply', options: { replies: { bom: true, pascalCase: 'all' } }, happened: () => {} },
  {
    name: 'PascalCase suspend replies, +00:00 dates, unknown enum values and extra fields',
    options: { replies: { pascalCase: 'patch', offsetDates: true, billingCycle: 'quadrennial', userState: 'pendingDeletion', relationship: 'co_sell', extraFields: { addedLater: [1] } } },
    happened: (_, out) => expect(out).toContain('billingCycle "quadrennial"'),
  },
  {
    name: 'pages of one, links without /v1, token only in the body',
    options: { pageSize: 1, paging: { v1Prefix: false, nextLink: 'without-headers' } },
    // every user page after the first of each customer: (7 - 1) at Contoso + (4 - 1) at Fabrikam, at least once
    happened: (s) => expect(s.audit.requests().filter((e) => e.query.includes('seekOperation=Next')).length).toBeGreaterThanOrEqual(9),
  },
  {
    name: 'provisioning delay (new subscriptions 404 / 20000 for a while)',
    options: { provisioningDelayMs: 400 },
    // pcsync waits on the subscription list (a new subscription is missing from it while it provisions), so the
    // delay shows as more than one list read per customer after its order, not as a 404 on a subscription id.
    happened: (s) => {
      const requests = s.audit.requests();
      const firstOrder = requests.findIndex((e) => e.method === 'POST' && e.path.endsWith('/orders'));
      const polls = requests.slice(firstOrder + 1).filter((e) => e.method === 'GET' && e.path.endsWith('/subscriptions'));
      expect(firstOrder).toBeGreaterThanOrEqual(0);
      expect(polls.length).toBeGreaterThan(2 * 2);
    },
  },
  {
    name: 'all behaviours at once',
    options: {
      seed: 9,
      pageSize: 2,
      paging: { v1Prefix: false },
      provisioningDelayMs: 300,
      throttle: { perMinute: 1200, burst: 5, timeScale: 10, retryAfter: 'fractional' },
      serverErrors: { match: ['GET'], rate: 0.1 },
      dropConnections: { match: ['GET'], rate: 0.05 },
      slowReplies: { rate: 0.1, ms: 20 },
      replies: { bom: true, pascalCase: 'patch', offsetDates: true, userState: 'pendingDeletion' },
    },
    happened: (s) => expect(count(s.audit.entries, 'fault')).toBeGreaterThan(3),
    replan: true,
  },
];

describe('the demo migration completes against a simulator with reshaped, paged and delayed replies (real CLI)', () => {
  for (const b of behaviours) it(b.name, () => migrateDemoUnder(b, (s) => (sim = s)));
});
