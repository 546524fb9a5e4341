import { setTimeout as delay } from 'node:timers/promises';

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
  dispose(): void;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Ctrl-C handling for apply: the first SIGINT/SIGTERM calls `first` and turns `stopping()` on (running actions
 * finish and are journaled); the second calls `second`, which is expected to abort the process.
 */
export function onStopSignals(handlers: { first(signal: StopSignal): void; second(signal: StopSignal): void }, target: NodeJS.EventEmitter = process): StopControl {
  const abort = new AbortController();
  let count = 0;
  let halted = false;
  const listener = (signal: StopSignal) => {
    count++;
    if (count === 1) {
      abort.abort();
      handlers.first(signal);
    } else handlers.second(signal);
  };
  const signals: StopSignal[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) target.on(s, listener);
  return {
    stopping: () => count > 0 || halted,
    stop: () => {
      halted = true;
      abort.abort();
    },
    sleep: async (ms) => {
      try {
        await delay(ms, undefined, { signal: abort.signal });
      } catch (err) {
        if (abort.signal.aborted) throw new Interrupted();
        throw err;
      }
    },
    dispose: () => {
      for (const s of signals) target.off(s, listener);
    },
  };
}
