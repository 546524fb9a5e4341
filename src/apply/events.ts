import type { ActionKind } from '../plan/types.js';
import type { Outcome } from './outcomes.js';
import type { RunBound } from '../partner-center/concurrency.js';

/** Everything the executor reports. It never prints; sinks (terminal, JSON lines, test recorder) do. */
export type ApplyEvent =
  /**
   * `planning`: `apply --auto-approve` plans each customer as it starts it (no run-wide cap needs the whole plan
   * first): `customers` are those selected, `actions` 0; each customer-start says its actions, and a customer
   * whose live state already matches ends with `customer-in-sync` instead of customer-start … customer-end.
   */
  | { readonly type: 'run-start'; readonly customers: number; readonly actions: number; readonly planning?: true }
  /** Planned as it started (run-start `planning`): live state already matches the desired state; nothing to do. */
  | { readonly type: 'customer-in-sync'; readonly customerId: string }
  | { readonly type: 'customer-start'; readonly customerId: string; readonly displayName: string; readonly actions: number }
  | { readonly type: 'action-start'; readonly customerId: string; readonly actionId: string; readonly kind: ActionKind }
  | {
      readonly type: 'action-end';
      readonly customerId: string;
      readonly actionId: string;
      readonly kind: ActionKind;
      readonly outcome: Outcome;
      readonly message?: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'customer-end';
      readonly customerId: string;
      readonly displayName: string;
      readonly outcome: Outcome;
      readonly message?: string;
      readonly durationMs: number;
      /** When some planned licence moves did not happen: who holds what now, per user. */
      readonly users?: readonly UserPlacement[];
    }
  /** Customers worked on at once changed (concurrency.ts), or what bounds the run: at most one every few seconds. */
  | { readonly type: 'pace'; readonly customersAtOnce: number; readonly bound: RunBound }
  | { readonly type: 'run-end'; readonly durationMs: number; readonly outcomes: Readonly<Partial<Record<Outcome, number>>> };

/** Which licence one user holds after the run (a licence update is all or nothing). */
export interface UserPlacement {
  readonly upn: string;
  /** moved: holds the new licence; not-moved: still holds the old one; unknown: the outcome could not be read back. */
  readonly where: 'moved' | 'not-moved' | 'unknown';
  /** Display name of the licence held now, as far as pcsync knows. */
  readonly holds: string;
  readonly outcome: Outcome;
}

export type ApplyEventType = ApplyEvent['type'];

export interface EventSink {
  emit(event: ApplyEvent): void;
}

/** Sends every event to several sinks. */
export function fanOut(...sinks: EventSink[]): EventSink {
  return { emit: (e) => sinks.forEach((s) => s.emit(e)) };
}

/** Keeps events in memory (tests, summaries). */
export class RecordingSink implements EventSink {
  readonly events: ApplyEvent[] = [];
  emit(event: ApplyEvent): void {
    this.events.push(event);
  }
}
