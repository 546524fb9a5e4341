/**
 * The chunks of a text whose end is trimmed and given one newline (`text.trimEnd() + '\n'`), passed on as they
 * come: only the last chunk with anything but white space in it (and what follows it) is held back, so the
 * whole text is never in memory and the result is the same bytes.
 */
export function* trimmedEnd(chunks: Iterable<string>): Generator<string> {
  let held = '';
  for (const chunk of chunks) {
    if (chunk.trim() === '') {
      held += chunk;
      continue;
    }
    if (held !== '') yield held;
    held = chunk;
  }
  yield `${held.trimEnd()}\n`;
}
