/** Thrown out of a wait that the first Ctrl-C cut short; nothing was being changed at that moment. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted (stop requested) while waiting; nothing was changed');
    this.name = 'Interrupted';
  }
}

export interface StopControl {
  /** True after the first SIGINT/SIGTERM: start nothing new. */
  stopping(): boolean;
  /** A sleep that ends early with `Interrupted` once stopping. */
  sleep(ms: number): Promise<void>;
  /** Stops the run as the first Ctrl-C does (start nothing new, cut waits short), without a signal: an error did. */
  stop(): void;
  /**
   * Calls `wake` once when the run starts stopping (at once if it has); returns the function that forgets it. Kept in
   * the same set as the sleeps: nothing accumulates for a wait that ended without a stop.
   */
  onStop(wake: () => void): () => void;
  dispose(): void;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Ctrl-C handling for apply: the first SIGINT/SIGTERM calls `first` and turns `stopping()` on (running actions
 * finish and are journaled); the second calls `second`, which is expected to abort the process.
 *
 * Waits are cut short through one set of wake-up functions, not an AbortSignal: every `setTimeout(ms, _,
 * { signal })` adds an 'abort' listener to the signal until it ends, so a fleet apply with more than ten
 * customers waiting at once (provisioning checks, 202 polls, consumed-unit re-checks) made Node print a
 * MaxListenersExceededWarning. Raising the limit would only hide a count that grows with `concurrency`.
 */
export function onStopSignals(handlers: { first(signal: StopSignal): void; second(signal: StopSignal): void }, target: NodeJS.EventEmitter = process): StopControl {
  let count = 0;
  let halted = false;
  const waiting = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiting]) wake();
  };
  const listener = (signal: StopSignal) => {
    count++;
    if (count === 1) {
      wakeAll();
      handlers.first(signal);
    } else handlers.second(signal);
  };
  const signals: StopSignal[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) target.on(s, listener);
  const stopping = () => count > 0 || halted;
  return {
    stopping,
    onStop: (wake) => {
      if (stopping()) {
        wake();
        return () => {};
      }
      const once = () => {
        waiting.delete(once);
        wake();
      };
      waiting.add(once);
      return () => waiting.delete(once);
    },
    stop: () => {
      halted = true;
      wakeAll();
    },
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (stopping()) return reject(new Interrupted());
        const wake = () => {
          clearTimeout(timer);
          waiting.delete(wake);
          reject(new Interrupted());
        };
        const timer = setTimeout(() => {
          waiting.delete(wake);
          resolve();
        }, ms);
        waiting.add(wake);
      }),
    dispose: () => {
      for (const s of signals) target.off(s, listener);
    },
  };
}
