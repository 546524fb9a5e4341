import type { PartnerConfig } from './types.js';

/** Partner settings when `desired-state/pcsync.yaml` is absent, and for every setting it leaves out. */
export const DEFAULT_PARTNER_CONFIG: PartnerConfig = Object.freeze({
  country: 'US',
  concurrency: 256,
  userConcurrency: 4,
  seatHeadroom: 0,
  policy: Object.freeze({ allowSuspend: true, maxSeatsPerPurchase: 300, provisioningTimeoutSeconds: 900 }),
  catalog: Object.freeze({ retired: Object.freeze([]), replacements: Object.freeze([]) }),
});
