import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../core/diagnostics.js';
import { hashOf } from '../core/hash.js';
import { DEFAULT_PARTNER_CONFIG } from './defaults.js';
import { loadDocument } from './document.js';
import { normaliseCustomer, normalisePartner, withoutSources } from './normalise.js';
import { runRules, type LoadedCustomer } from './rules.js';
import { offlineChecks } from './offline-checks.js';
import { displayPath, listYamlFiles } from './source-file.js';
import { confinedFileProblem } from './confine.js';
import type { DesiredState, PartnerConfig } from './types.js';

export { DEFAULT_PARTNER_CONFIG } from './defaults.js';

export interface LoadResult {
  /** The validated, normalised state; undefined when any diagnostic is an error. */
  value?: DesiredState;
  /** Every problem found, errors and warnings, sorted by file, line, column. */
  diagnostics: Diagnostic[];
}

/**
 * Loads `dir/pcsync.yaml` (optional; defaults when absent) and every `dir/customers/**\/*.y{a,}ml`.
 * Never throws on bad input: every problem is a Diagnostic with file:line:col. value is undefined when any error.
 * Steps: read + parse each file → JSON schema → normalise → named cross-file rules (all run, all collected).
 */
export function loadDesiredState(dir: string, opts: { displayRoot?: string } = {}): LoadResult {
  const displayRoot = resolve(opts.displayRoot ?? process.cwd());
  const show = (abs: string) => displayPath(abs, displayRoot);
  const root = resolve(dir);
  if (!isDirectory(root)) {
    return { diagnostics: [{ severity: 'error', code: 'file.not-found', summary: `desired-state directory ${show(root)} does not exist or is not a directory` }] };
  }
  if (!existsSync(join(root, 'pcsync.yaml')) && !isLink(join(root, 'pcsync.yaml')) && !existsSync(join(root, 'customers')) && !isLink(join(root, 'customers'))) {
    // Neither file a desired state has: a wrong folder (`pcsync validate /etc`), not an empty desired state.
    return { diagnostics: [{ severity: 'error', code: 'file.not-desired-state', summary: `${show(root)} is not a desired-state directory: it has neither pcsync.yaml nor customers/ (pcsync init makes one; --dir names another)` }] };
  }
  const diagnostics: Diagnostic[] = [];
  diagnostics.push(...strayFiles(root, show));
  const partner = loadPartner(join(root, 'pcsync.yaml'), root, show, diagnostics);
  const customers = loadCustomers(join(root, 'customers'), root, show, diagnostics);
  diagnostics.push(...runRules(customers), ...offlineChecks(customers, partner));
  diagnostics.sort(byPosition);
  if (hasErrors(diagnostics)) return { diagnostics };

  const sorted = customers.map((c) => c.customer).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const contentHash = hashOf({ partner: withoutSources(partner), customers: sorted.map((c) => c.contentHash) });
  return { value: { root: show(root), partner, customers: sorted, contentHash }, diagnostics };
}

function loadPartner(abs: string, root: string, show: (p: string) => string, diagnostics: Diagnostic[]): PartnerConfig {
  if (!existsSync(abs) && !isLink(abs)) return DEFAULT_PARTNER_CONFIG;
  const file = show(abs);
  const refused = confinedFileProblem(abs, root, file);
  if (refused) {
    diagnostics.push({ severity: 'error', code: refused.code, summary: refused.summary, source: { file, line: 1, column: 1 } });
    return DEFAULT_PARTNER_CONFIG;
  }
  const doc = loadDocument(abs, file, 'partner');
  diagnostics.push(...doc.diagnostics);
  return doc.data && doc.valid ? normalisePartner(doc.data, file) : DEFAULT_PARTNER_CONFIG;
}

function loadCustomers(dir: string, root: string, show: (p: string) => string, diagnostics: Diagnostic[]): LoadedCustomer[] {
  const listed = isDirectory(dir) ? listYamlFiles(dir) : { files: [], skipped: [] };
  for (const s of listed.skipped) {
    const summary =
      s.why === 'directory-named-yaml'
        ? `${show(s.path)} is a directory, not a customer file; the customer files inside it are read`
        : `${show(s.path)} is a symbolic link to a directory, which is not followed; its files are not read — desired-state folders must be plain folders: replace the link with the folder itself`;
    // A symlinked folder is an error: what it would add is not reviewed with the desired state.
    diagnostics.push({ severity: s.why === 'directory-named-yaml' ? 'warning' : 'error', code: s.why === 'directory-named-yaml' ? 'file.not-a-file' : 'file.symlinked-directory', summary, source: { file: show(s.path), line: 1, column: 1 } });
  }
  const files = listed.files.filter((abs) => {
    const refused = confinedFileProblem(abs, root, show(abs));
    if (refused) diagnostics.push({ severity: 'error', code: refused.code, summary: refused.summary, source: { file: show(abs), line: 1, column: 1 } });
    return !refused;
  });
  if (files.length === 0 && listed.files.length === 0) {
    diagnostics.push({ severity: 'warning', code: 'file.no-customers', summary: `no customer files (*.yaml) in ${show(dir)}; nothing to plan` });
  }
  const out: LoadedCustomer[] = [];
  for (const abs of files) {
    const file = show(abs);
    const doc = loadDocument(abs, file, 'customer');
    diagnostics.push(...doc.diagnostics);
    // Schema-invalid files still take part in the rules, so one run reports every mistake.
    if (doc.data && doc.at) out.push({ customer: normaliseCustomer(doc.data, doc.at, file), at: doc.at });
  }
  return out;
}

/** YAML files beside pcsync.yaml are never read; say so rather than let a misplaced file silently do nothing. */
function strayFiles(root: string, show: (p: string) => string): Diagnostic[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && e.name !== 'pcsync.yaml')
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      severity: 'warning' as const,
      code: 'file.ignored',
      summary: `${name} is not read: partner settings go in pcsync.yaml, customer files in customers/`,
      source: { file: show(join(root, name)), line: 1, column: 1 },
    }));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  const fa = a.source?.file ?? '';
  const fb = b.source?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.column ?? 0) - (b.source?.column ?? 0);
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
