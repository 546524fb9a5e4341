/** A common terminal width, for callers that want one. */
export const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** Characters a line takes on the terminal (colour escapes take none). */
export function visibleLength(s: string): number {
  return [...s.replace(SGR, '')].length;
}

/** What starts every continuation line after its indent: a wrapped line never starts with the text it carries. */
export const CONTINUED = '↳ ';

/**
 * Every line at most `width` columns: long lines break at spaces, and continuation lines are indented four
 * columns past the line's own indent and marked `↳ `, so a wrapped action still reads as one — and live text that
 * happens to fall at a break (a hostile offer name reading `FAKE LINE: all good`) never starts a line of its own.
 * A word longer than the width (an id, a URL) is cut rather than running off the screen.
 */
export function wrapText(text: string, width = DEFAULT_WIDTH): string {
  const w = Math.max(MIN_WIDTH, width);
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, w))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  if (visibleLength(line) <= width) return [line];
  // Leading tokens with nothing visible are the indent (and any colour escape before it).
  const tokens = line.split(' ');
  let i = 0;
  while (i < tokens.length - 1 && visibleLength(tokens[i]!) === 0) i++;
  const lead = i > 0 ? `${tokens.slice(0, i).join(' ')} ` : '';
  const indent = visibleLength(lead);
  const pad = `${' '.repeat(Math.min(indent + 4, Math.floor(width / 2)))}${CONTINUED}`;
  const out: string[] = [];
  let cur = lead;
  let fresh = true;
  for (const word of tokens.slice(i)) {
    const candidate = fresh ? `${cur}${word}` : `${cur} ${word}`;
    if (visibleLength(candidate) <= width || fresh) {
      cur = candidate;
      fresh = false;
      continue;
    }
    out.push(cur);
    cur = `${pad}${word}`;
  }
  out.push(cur);
  return out.flatMap((l) => cut(l, width, pad));
}

/** A single word longer than the line (an id, a URL) is cut; words with colour escapes are left whole. */
function cut(line: string, width: number, pad: string): string[] {
  if (visibleLength(line) <= width || line.includes('\u001b')) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    out.push(rest.slice(0, width));
    rest = `${pad}${rest.slice(width)}`;
  }
  return [...out, rest];
}
