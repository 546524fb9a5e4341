/**
 * How long the purchases of one apply run took to provision: from the order reply to the check that found the
 * new subscription active with enough seats. The shortest time seen is when a later purchase is first checked,
 * so a run does not spend documented-class calls (GET subscription is on Partner Center's throttled list,
 * partner-center-api.md §10) on checks that only find "not yet" (404 code 20000) — a bench fleet with a 30 s
 * provisioning and a 10 s poll spent ~2 such calls per customer. The shortest, not the mean: a faster
 * provisioning is then found at once and a slower one costs the usual doubling checks.
 */
export class ProvisioningTimes {
  #shortestMs: number | undefined;

  /** Records one purchase found ready `ms` after its order reply (ignored unless a finite number ≥ 0). */
  observe(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.#shortestMs === undefined || ms < this.#shortestMs) this.#shortestMs = ms;
  }

  /** The shortest provisioning seen so far in ms, or undefined before the first. */
  get shortestMs(): number | undefined {
    return this.#shortestMs;
  }
}

/**
 * How long to wait before the first provisioning check of a purchase whose order reply came `sinceOrderMs` ago:
 * 0 (check at once, as before) until a provisioning has been observed; then until max(`pollMs`, the shortest
 * seen) after the order reply — never past the plan's time limit (`leftMs` until it).
 */
export function firstCheckDelayMs(o: { shortestMs: number | undefined; pollMs: number; sinceOrderMs: number; leftMs: number }): number {
  if (o.shortestMs === undefined) return 0;
  const wanted = Math.max(o.pollMs, o.shortestMs) - o.sinceOrderMs;
  return Math.max(0, Math.min(wanted, o.leftMs));
}
