import { appendFileSync } from 'node:fs';
import { line, outputGuard, type CliIo } from './io.js';

/**
 * Appends markdown to the GitHub job summary (GITHUB_STEP_SUMMARY) through the output boundary: no credential,
 * control or bidi character gets in. A nicety: failing to write it is a warning, not a failed command.
 */
export function appendJobSummary(io: CliIo, file: string, markdown: string): void {
  try {
    const text = io.redact ? io.redact(markdown) : markdown;
    appendFileSync(file, outputGuard(io.env)(text.endsWith('\n') ? text : `${text}\n`, { workflowCommands: true }));
  } catch (err) {
    line(io.stderr, `pcsync: warning: could not write the job summary to GITHUB_STEP_SUMMARY (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
}
