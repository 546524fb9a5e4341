import { resolve } from 'node:path';
import { formatDiagnostic, formatGithubAnnotation, hasErrors, type Diagnostic } from '../../core/diagnostics.js';
import { style } from '../../render/style.js';
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
    // Problems are diagnostics: stderr, like every other command. Annotations are workflow commands pcsync means
    // to write (io.annotations); everything else has such lines defused.
    const paint = style(io.color?.stderr ?? false);
    const [fmt, write] = opts.format === 'github' ? [formatGithubAnnotation, io.annotations ?? io.stderr] : [(d: Diagnostic) => formatDiagnostic(d, paint), io.stderr];
    for (const d of diagnostics) line(write, fmt(d));
    const customers = value ? `${value.customers.length} customer file(s)` : 'desired state';
    line(io.stderr, errors > 0 ? `${dir}: ${errors} error(s), ${warnings} warning(s).` : `${dir}: ${customers} valid${warnings ? `, ${warnings} warning(s)` : ''}.`);
  }
  return errors > 0 || !value ? ExitCode.error : ExitCode.ok;
}
