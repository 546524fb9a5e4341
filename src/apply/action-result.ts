import type { Action } from '../plan/types.js';
import type { Outcome } from './outcomes.js';

/** What one action did, in words for the summary. */
export interface ActionResult {
  readonly outcome: Outcome;
  readonly message: string;
  /** Reassign only: which licence the user holds afterwards, as far as pcsync knows. */
  readonly placement?: Placement;
  /** Purchase only: the subscription it made or found. */
  readonly subscriptionId?: string;
  /**
   * Reassign only: a refusal that concerns this user alone (e.g. a licence assigned through a group). The other
   * users' moves go on; the phases after the moves (suspend) still do not run.
   */
  readonly perUser?: boolean;
  /** Reassign only: Partner Center refused licence writes for this customer's roles (403 900308/900150); journaled. */
  readonly licenceWritesRefused?: boolean;
}

/** What happened to one planned action, as the customer's report lists it. */
export interface ActionReport {
  readonly id: string;
  readonly kind: Action['kind'];
  readonly outcome: Outcome;
  readonly message: string;
}

/** Where a user's licence is after a reassign: the new one, still the old one, or unknown (ask Partner Center). */
export type Placement = 'new' | 'old' | 'unknown';

export const ok = (message: string): ActionResult => ({ outcome: 'applied', message });
export const done = (message: string): ActionResult => ({ outcome: 'already-done', message });
export const transient = (message: string): ActionResult => ({ outcome: 'failed-transient', message });
export const terminal = (message: string): ActionResult => ({ outcome: 'failed-terminal', message });
