import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { packCustomer, unpackCustomer } from './plan-pack.js';
import type { Action, CustomerPlan } from '../plan/types.js';

/**
 * A customer's plan as plan and apply hold it between planning it and using it: its actions packed like a
 * saved plan (plan-pack.ts: each licence move only what differs from the one before) and deflated — about 1–2
 * KB for a customer with 30 licence moves instead of ~15 KB of objects — so a fleet's plan stays small in
 * memory (README "Scale and speed"). To every reader `actions` is an ordinary enumerable property (spread,
 * JSON, hashing, rendering see the same actions), unpacked afresh at each read (~50 µs): equal every time, never
 * the same array, and nothing keeps it once its reader is done. (A WeakRef cache kept every customer's actions
 * alive through any loop over the whole fleet — hashing, counting, rendering — since V8 keeps a WeakRef's target
 * until the current job ends: a 5,000-customer run peaked at 378 MB.) A plan without actions is returned as it is.
 */
export function heldPlan(plan: CustomerPlan): CustomerPlan {
  if (plan.actions.length === 0) return plan;
  // kept as a one-byte string: zlib's Buffer would pin its whole 16 KB output chunk
  const packed = deflateRawSync(JSON.stringify(packCustomer(plan).actions)).toString('latin1');
  const { customerId } = plan;
  const held = { ...plan };
  Object.defineProperty(held, 'actions', {
    enumerable: true,
    get: (): readonly Action[] => unpackCustomer({ customerId, actions: JSON.parse(inflateRawSync(Buffer.from(packed, 'latin1')).toString('utf8')) }).actions as readonly Action[],
  });
  return held;
}
