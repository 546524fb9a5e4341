/**
 * The closed vocabulary of what happened to an action or a customer during apply.
 * - applied: this run made the change.
 * - already-done: live state already matched; nothing sent (counts as success).
 * - failed-transient: not done, may work on a later run (throttled, timed out, provisioning not finished).
 * - failed-terminal: refused; will fail again until something changes (out of licences, suspend guard).
 * - skipped-blocked: the plan had blockers for this customer; nothing was sent.
 * - skipped-stale: live state changed since the plan was made; nothing was sent (re-plan).
 * - partly-applied (a customer only): this run made some of its changes, then the run stopped (Ctrl-C, an error
 *   elsewhere, a closed output) before the rest; run apply again to continue.
 * - not-started: an earlier action of the same customer failed, or the run was interrupted; for a customer,
 *   nothing was sent to it in this run.
 */
export type Outcome =
  | 'applied'
  | 'already-done'
  | 'failed-transient'
  | 'failed-terminal'
  | 'skipped-blocked'
  | 'skipped-stale'
  | 'partly-applied'
  | 'not-started';

export const OUTCOMES: readonly Outcome[] = [
  'applied',
  'already-done',
  'failed-transient',
  'failed-terminal',
  'skipped-blocked',
  'skipped-stale',
  'partly-applied',
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

/**
 * A customer's outcome from its actions' outcomes: the first failure wins; actions left not started make it
 * `partly-applied` when this run applied any of the others, else `not-started`; else success.
 */
export function customerOutcome(actions: readonly Outcome[]): Outcome {
  const failure = actions.find(isFailure);
  if (failure) return failure;
  if (actions.includes('not-started')) return actions.includes('applied') ? 'partly-applied' : 'not-started';
  return actions.includes('applied') ? 'applied' : 'already-done';
}
