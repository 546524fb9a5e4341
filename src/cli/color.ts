/**
 * Whether a stream gets ANSI colour, by the conventions terminal tools share:
 * `--no-color` (the caller passes `flag: false`) wins; then `FORCE_COLOR` (any value but `0`/`false` turns colour
 * on, even when piped; `0`/`false` turns it off); then `NO_COLOR` (any non-empty value turns it off, see
 * https://no-color.org); then colour only on an interactive terminal whose `TERM` is not `dumb`, and not in CI logs
 * unless forced.
 */
export function colorFor(env: Readonly<Record<string, string | undefined>>, isTty: boolean, flag?: boolean): boolean {
  if (flag === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  return isTty && env.TERM !== 'dumb';
}

/** True when argv asks for no colour (`--no-color` anywhere before a `--`). */
export function noColorFlag(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--no-color');
}
