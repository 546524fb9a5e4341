import type { CliIo } from './io.js';
import { BOUND_WORDS, type RunBound } from '../partner-center/concurrency.js';

/** Reading progress as `pcsync` shows it: customers read / total, rate, time left. */
export interface ReadProgress {
  /** Pass to readLive as its `progress` callback. */
  readonly update: (done: number, total: number) => void;
  /** Pass to readEach as its `onBound` callback: the line then says how many customers are read at once and why. */
  readonly pace: (customersAtOnce: number, bound: RunBound) => void;
  /** Ends the progress display (a final line when anything was shown). */
  finish(): void;
  /** Customers read so far. */
  readonly done: number;
}

/** First plain (non-terminal) line after this long, then one every PLAIN_EVERY_MS: short reads print nothing. */
const PLAIN_FIRST_MS = 2_000;
const PLAIN_EVERY_MS = 5_000;
/** A terminal line is redrawn at most this often. */
const TTY_EVERY_MS = 250;

/**
 * A progress line on stderr while live state is read: redrawn in place on a terminal (`io.status`, whose
 * boundary adds the carriage return and clear-line), a plain line every few seconds otherwise (CI logs). Never
 * on stdout, which carries the plan or JSON events.
 */
export function readProgress(io: CliIo, now: () => number = () => performance.now()): ReadProgress {
  const started = now();
  let shownAt = -Infinity;
  let shown = false;
  let done = 0;
  let total = 0;
  let pace = '';
  const line = () => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? ` ETA ${duration((total - done) / rate)}` : '';
    return `Reading live state: ${done}/${total} customers, ${rate.toFixed(1)}/s,${eta}${pace}`;
  };
  return {
    update(d, t) {
      done = d;
      total = t;
      const at = now();
      if (io.isTty && io.status) {
        if (at - shownAt < TTY_EVERY_MS && d < t) return;
        io.status(line());
      } else {
        if (at - started < PLAIN_FIRST_MS || at - shownAt < PLAIN_EVERY_MS) return;
        io.stderr(`${line()}\n`);
      }
      shownAt = at;
      shown = true;
    },
    pace(n, bound) {
      pace = ` (${n} at once, bound by ${BOUND_WORDS[bound]})`;
    },
    finish() {
      if (!shown) return;
      io.stderr(io.isTty && io.status ? '\n' : `Read ${done}/${total} customers in ${duration((now() - started) / 1000)}\n`);
    },
    get done() {
      return done;
    },
  };
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
