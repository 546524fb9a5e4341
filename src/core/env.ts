import { UserError } from './errors.js';
import { excerpt } from './inert.js';

/** The process environment as pcsync reads it (injected, so tests and the demo run in-process). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The longest wait Node's timers take: 2^31−1 ms (~24.8 days). A longer `setTimeout` fires after 1 ms with a
 * TimeoutOverflowWarning, so a too-large timeout would turn into a busy loop (Node docs, `setTimeout`).
 */
export const TIMER_MAX_MS = 2_147_483_647;

/** What a numeric variable accepts. `none: 0` also accepts 0 below `min` (e.g. "0 = no client-side limit"). */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly whole?: boolean;
  /** What 0 means when it is accepted below `min`. */
  readonly zero?: string;
}

/** Plain decimal digits only: `0x10`, `1e3`, `+5`, `Infinity` and `5ms` are refused, not read as numbers. */
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/**
 * A numeric environment variable; absent or empty → `fallback`. Anything else must be written in plain decimals
 * and lie in `range`, or it is a UserError naming the variable, the value (inert, cut short), what it means and
 * what it accepts — thrown before anything is sent, like a problem in the YAML.
 */
export function envNumber(env: Env, name: string, meaning: string, range: NumberRange & { readonly fallback: number }): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return range.fallback;
  const n = (range.whole ? WHOLE : DECIMAL).test(raw) ? Number(raw) : NaN;
  if (range.zero !== undefined && n === 0) return 0;
  if (!(n >= range.min && n <= range.max)) throw invalid(name, raw, rangeText(range), meaning);
  return n;
}

/** An environment variable with a fixed set of values; absent or empty → `fallback`, anything else a UserError. */
export function envChoice<T extends string>(env: Env, name: string, meaning: string, choices: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw invalid(name, raw, `one of ${choices.join(', ')}`, meaning);
}

/** The UserError for a variable whose value is out of what it accepts (`expected`). */
export function invalid(name: string, raw: string, expected: string, meaning: string): UserError {
  return new UserError('config.env', `${name}=${excerpt(raw, 24)} is not valid: expected ${expected} — ${meaning}. Nothing was sent.`);
}

/** "a whole number from 1 to 2147483647", "0 (no client-side limit) or a number from 1 to 1000000". */
export function rangeText(r: NumberRange): string {
  const span = `${r.whole ? 'a whole number' : 'a number'} from ${r.min} to ${r.max}`;
  return r.zero !== undefined ? `0 (${r.zero}) or ${span}` : span;
}
