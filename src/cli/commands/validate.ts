import { resolve } from 'node:path';
import { formatDiagnostic, formatGithubAnnotation, hasErrors } from '../../core/diagnostics.js';
import { ExitCode } from '../../core/errors.js';
import { loadDesiredState } from '../../desired/load.js';
import { line, type CliIo } from '../io.js';

export interface ValidateOptions {
  readonly format: 'text' | 'github' | 'json';
}

/** Schema and cross-file checks only; never touches the network. */
export function validateCommand(io: CliIo, dir: string, opts: ValidateOptions): number {
  const { value, diagnostics } = loadDesiredState(resolve(io.cwd, dir), { displayRoot: io.cwd });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (opts.format === 'json') {
    line(io.stdout, JSON.stringify({ ok: !hasErrors(diagnostics), errors, warnings, diagnostics }, null, 2));
  } else {
    // Annotations are workflow commands pcsync means to write; everything else has such lines defused.
    const [fmt, write] = opts.format === 'github' ? [formatGithubAnnotation, io.annotations ?? io.stdout] : [formatDiagnostic, io.stdout];
    for (const d of diagnostics) line(write, fmt(d));
    const customers = value ? `${value.customers.length} customer file(s)` : 'desired state';
    line(io.stderr, errors > 0 ? `${dir}: ${errors} error(s), ${warnings} warning(s).` : `${dir}: ${customers} valid${warnings ? `, ${warnings} warning(s)` : ''}.`);
  }
  return errors > 0 || !value ? ExitCode.error : ExitCode.ok;
}
