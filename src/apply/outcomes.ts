/**
 * The closed vocabulary of what happened to an action or a customer during apply.
 * - applied: this run made the change.
 * - already-done: live state already matched; nothing sent (counts as success).
 * - failed-transient: not done, may work on a later run (throttled, timed out, provisioning not finished).
 * - failed-terminal: refused; will fail again until something changes (out of licences, suspend guard).
 * - skipped-blocked: the plan had blockers for this customer; nothing was sent.
 * - skipped-stale: live state changed since the plan was made; nothing was sent (re-plan).
 * - not-started: an earlier action of the same customer failed, or the run was interrupted.
 */
export type Outcome =
  | 'applied'
  | 'already-done'
  | 'failed-transient'
  | 'failed-terminal'
  | 'skipped-blocked'
  | 'skipped-stale'
  | 'not-started';

export const OUTCOMES: readonly Outcome[] = [
  'applied',
  'already-done',
  'failed-transient',
  'failed-terminal',
  'skipped-blocked',
  'skipped-stale',
  'not-started',
];

export function isSuccess(o: Outcome): boolean {
  return o === 'applied' || o === 'already-done';
}

export function isFailure(o: Outcome): boolean {
  return o === 'failed-transient' || o === 'failed-terminal';
}

export function isSkip(o: Outcome): boolean {
  return o === 'skipped-blocked' || o === 'skipped-stale' || o === 'not-started';
}

/** A customer's outcome from its actions' outcomes: the first failure or skip wins, else success. */
export function customerOutcome(actions: readonly Outcome[]): Outcome {
  return actions.find(isFailure) ?? actions.find((o) => o === 'not-started') ?? (actions.includes('applied') ? 'applied' : 'already-done');
}
