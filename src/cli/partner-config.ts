import { existsSync, lstatSync } from 'node:fs';
import { confinedFileProblem } from '../desired/confine.js';
import { join, resolve } from 'node:path';
import { style } from '../render/style.js';
import { formatDiagnostic, hasErrors } from '../core/diagnostics.js';
import { UserError } from '../core/errors.js';
import { DEFAULT_PARTNER_CONFIG } from '../desired/defaults.js';
import { loadDocument } from '../desired/document.js';
import { normalisePartner } from '../desired/normalise.js';
import { displayPath } from '../desired/source-file.js';
import type { PartnerConfig } from '../desired/types.js';
import type { CliIo } from './io.js';

/**
 * Only `<dir>/pcsync.yaml` (country, catalogue additions), for commands that need no customer files —
 * report and import run before any exist. Absent file → defaults; any error stops the command.
 */
export function loadPartnerConfig(io: CliIo, dir: string): PartnerConfig {
  const root = resolve(io.cwd, dir);
  const abs = join(root, 'pcsync.yaml');
  if (!existsSync(abs) && !isLink(abs)) return DEFAULT_PARTNER_CONFIG;
  const file = displayPath(abs, io.cwd);
  const refused = confinedFileProblem(abs, root, file);
  if (refused) throw new UserError('desired.invalid', `${refused.summary} [${refused.code}]; nothing was sent to Partner Center.`);
  const doc = loadDocument(abs, file, 'partner');
  for (const d of doc.diagnostics) io.stderr(`${formatDiagnostic(d, style(io.color?.stderr ?? false))}\n`);
  if (!doc.data || !doc.valid || hasErrors(doc.diagnostics)) {
    throw new UserError('desired.invalid', `${file} has errors; nothing was sent to Partner Center.`);
  }
  return normalisePartner(doc.data, file);
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
