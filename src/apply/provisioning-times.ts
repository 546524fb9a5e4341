/** After this many observations in a row found ready at their first check, the estimate probes lower. */
const PROBE_AFTER = 8;

/** Where in the bracket (last "not yet" → first "ready") the estimate lies: late rather than early (see below). */
const TOWARDS_READY = 0.75;

/**
 * How long something Partner Center does later takes to show, learned within one apply run: a purchase to
 * provision, a subscription change answered `202 Accepted` to show, consumed units to catch up with licence moves.
 * Checks cost calls — GET subscription is on Partner Center's throttled list (partner-center-api.md §10) — so a
 * later wait of the same kind is first checked when the earlier ones were ready, not at once.
 *
 * Each observation is a bracket in ms since the wait began (the order reply, the PATCH reply, the first
 * consumed-units read): the last check that found "not yet" and the first that found "ready"; the real time lies
 * between. The estimate lies three quarters of the way through the latest bracket — not at its ready end, which
 * a doubling check schedule overshoots by up to 2×, and not at its middle: a check that comes too early costs one
 * more documented-class call, one that comes late only waits (simulated over steady, jittered, rising and falling
 * times, 3/4 needed 2–6% fewer checks than 1/2 for 1–5% more waiting). A wait found ready at its first check
 * (made at the estimate) only says "at most this", so the estimate moves down towards the last "not yet"; after
 * PROBE_AFTER such waits in a row that "not yet" is halved as well, so the estimate can fall below it when
 * Partner Center got faster (one slow purchase does not hold every later check back). A check too early is
 * followed by the usual doubling checks, which give a new bracket.
 */
export class LearnedWait {
  #notYetMs: number | undefined;
  #readyMs: number | undefined;
  #readyAtOnce = 0;
  #probing = 0;

  /**
   * Marks one wait as the probe: it checks on its own (at once, then doubling) while nothing is learned, and the
   * waits that begin meanwhile follow it (`followProbe`) instead of each paying the same "not yet" checks —
   * a fleet's purchases sent within seconds of each other all began before the first one provisioned. Returns
   * the release, to call when the probe's wait ends, ready or not.
   */
  probe(): () => void {
    this.#probing++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#probing--;
    };
  }

  /** A probe is checking now and nothing is learned yet: a new wait should follow it. */
  get followable(): boolean {
    return this.#probing > 0 && this.#readyMs === undefined;
  }

  /** One wait that ended: `readyMs` when it was found ready; `notYetMs` the last check before that found it not ready, if any. */
  observe(o: { readonly notYetMs?: number; readonly readyMs: number }): void {
    if (!(Number.isFinite(o.readyMs) && o.readyMs >= 0)) return;
    const notYet = o.notYetMs !== undefined && Number.isFinite(o.notYetMs) && o.notYetMs >= 0 && o.notYetMs < o.readyMs ? o.notYetMs : undefined;
    // Ready at the first check says "at most this": a check that came later than the ready time already known
    // (it queued behind the rate limit, or followed a probe) says nothing new — it neither raises the estimate
    // nor counts as a sign that Partner Center got faster. Many customers' first checks end at once in a fleet.
    if (notYet === undefined && this.#readyMs !== undefined && o.readyMs >= this.#readyMs) return;
    this.#readyMs = o.readyMs;
    if (notYet !== undefined) {
      this.#notYetMs = notYet;
      this.#readyAtOnce = 0;
    } else if (this.#notYetMs !== undefined && ++this.#readyAtOnce >= PROBE_AFTER) {
      this.#notYetMs /= 2;
      this.#readyAtOnce = 0;
    }
    if (this.#notYetMs !== undefined && this.#notYetMs >= this.#readyMs) this.#notYetMs = undefined;
  }

  /** The latest bracket's ready end in ms (earlier waits were ready by then), or undefined before the first observation. */
  get readyByMs(): number | undefined {
    return this.#readyMs;
  }

  /** The learned time in ms, or undefined before the first observation. */
  get estimateMs(): number | undefined {
    if (this.#readyMs === undefined) return undefined;
    return this.#notYetMs === undefined ? this.#readyMs : this.#notYetMs + TOWARDS_READY * (this.#readyMs - this.#notYetMs);
  }
}

/** What one apply run learns, per kind of wait; `applyPlan` gives each run its own. */
export class LearnedWaits {
  /** From a new order's reply until its subscription is active with the seats needed. */
  readonly provisioning = new LearnedWait();
  /** From a subscription PATCH answered 202 (or 2xx without the change) until the change shows. */
  readonly change = new LearnedWait();
  /** From a consumed-units read above zero after the licence moves until it reads zero (the suspend guard). */
  readonly consumedUnits = new LearnedWait();
}

/**
 * Holds a wait that began while another one probes (`LearnedWait.followable`) until the probe learned the time,
 * the probe ended without learning it, or `capMs` passed (the longest poll interval: a probe stuck on a slow
 * purchase holds the others no longer than one interval of their own doubling schedule would). It looks every
 * `sliceMs` — local timers only, no call to Partner Center. Then the caller times its first check as usual
 * (`firstCheckDelayMs`); still nothing learned, it becomes a probe itself. `sleep` is the run's (a stop cuts it short).
 */
export async function followProbe(wait: LearnedWait, o: { capMs: number; sliceMs: number; sleep: (ms: number) => Promise<void>; now: () => number }): Promise<void> {
  const until = o.now() + o.capMs;
  for (let left = o.capMs; wait.followable && left > 0; left = until - o.now()) await o.sleep(Math.min(Math.max(1, o.sliceMs), left));
}

/**
 * How long to wait before the first check of a wait that began `sinceMs` ago: `unlearnedMs` until something was
 * learned (0 = check at once, as provisioning does; `pollMs` for 202 polls); then until max(`pollMs`, the
 * estimate) after it began — never past the time limit (`leftMs` until it).
 */
export function firstCheckDelayMs(o: { estimateMs: number | undefined; pollMs: number; sinceMs: number; leftMs: number; unlearnedMs?: number }): number {
  const wanted = o.estimateMs === undefined ? (o.unlearnedMs ?? 0) : Math.max(o.pollMs, o.estimateMs) - o.sinceMs;
  return Math.max(0, Math.min(wanted, o.leftMs));
}
