import { setFlagsFromString } from 'node:v8';
import { envChoice, type Env } from '../core/env.js';

/** `PCSYNC_HEAP`: `small` (the default) or `default` (Node's own heap sizing). */
const HEAP_MODES = ['small', 'default'] as const;
export const HEAP_MEANING = "small (the default) makes V8 grow the heap conservatively; default keeps Node's own heap sizing";

/** The heap mode PCSYNC_HEAP asks for; a misspelt value is a UserError (it used to mean the small heap). */
export function heapMode(env: Env): (typeof HEAP_MODES)[number] {
  return envChoice(env, 'PCSYNC_HEAP', HEAP_MEANING, HEAP_MODES, 'small');
}

/**
 * Makes V8 grow the heap conservatively (`--optimize-for-size`, read by its garbage-collection heuristics
 * whenever they decide how far to let the heap grow) unless `PCSYNC_HEAP=default`.
 *
 * Why: a fleet run allocates ~100 KB of short-lived objects per Partner Center request (most of it in axios'
 * request set-up). On a machine with plenty of memory V8 lets the old generation grow to ~4× what is alive
 * before collecting, so a 1,000-customer apply whose live data is ~30 MB peaked at 240–350 MB of resident
 * memory; with this flag the same run stays at ~100–150 MB, at the cost of some CPU (~1.1 instead of ~0.8 ms per request) and no measurable wall time in the benchmark (README "Scale
 * and speed", `npm run bench`). Node allows the flag only on its command line, not in NODE_OPTIONS, so pcsync
 * sets it at start-up through `v8.setFlagsFromString`, before the rest of pcsync is loaded. An invalid value
 * changes nothing here: the command's environment check then refuses it with a message (`checkEnvironment`).
 */
export function keepHeapSmall(env: Env): void {
  let mode: string;
  try {
    mode = heapMode(env);
  } catch {
    return;
  }
  if (mode === 'small') setFlagsFromString('--optimize-for-size');
}
