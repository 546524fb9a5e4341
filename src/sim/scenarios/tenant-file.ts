import { basename, resolve } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostics.js';
import { UserError } from '../../core/errors.js';
import { inertText } from '../../core/inert.js';
import { loadDocument } from '../../desired/document.js';
import type { Locator } from '../../desired/locate.js';
import { catalogOffers, catalogSkus } from './catalog.js';
import type { Scenario, ScenarioCustomer, ScenarioOffer, ScenarioSku } from './types.js';
import { checkScenario } from './validate.js';

/** Partner tenant id of a tenant file that does not give one. */
const DEFAULT_PARTNER_TENANT = '11111111-2222-4333-8444-555555555555';

/** Whether a `--scenario` value names a file rather than a built-in scenario. */
export function isTenantFile(value: string): boolean {
  return /\.(ya?ml|json)$/i.test(value) || value.includes('/') || value.includes('\\');
}

/**
 * Reads a simulator tenant file (`kind: SimulatorTenant`, schema `schemas/sim-tenant.schema.json`; JSON is YAML
 * too). Offers and SKUs default to the built-in catalogue; a subscription names its offer by id or name, a user
 * their licences by SKU id or part number. Throws `UserError` listing every problem as `file:line:col`.
 */
export function loadTenantFile(path: string, cwd: string): Scenario {
  const abs = resolve(cwd, path);
  const doc = loadDocument(abs, path, 'tenant');
  // Not a tenant file at all (another file given by mistake): one error, never its content echoed key by key.
  if (doc.data && doc.data['kind'] !== 'SimulatorTenant') {
    throw new UserError('sim.tenant-file', `${inertText(path)}:1:1: error: this is not a simulator tenant file (it needs apiVersion: pcsync/v1 and kind: SimulatorTenant); the simulator did not start.`);
  }
  const problems: Diagnostic[] = [...doc.diagnostics];
  const scenario = doc.data && doc.at && doc.valid ? toScenario(doc.data as unknown as TenantFile, doc.at, basename(path), problems) : undefined;
  const errors = problems.filter((d) => d.severity === 'error');
  if (!scenario || errors.length > 0) {
    throw new UserError('sim.tenant-file', `${path}: ${errors.length || 'no'} error(s); the simulator did not start.\n${errors.map((d) => formatDiagnostic(d)).join('\n')}`);
  }
  checkScenario(scenario);
  return scenario;
}

interface TenantFile {
  description?: string;
  partnerTenantId?: string;
  country?: string;
  offers?: ScenarioOffer[];
  skus?: ScenarioSku[];
  customers: Array<Omit<ScenarioCustomer, 'subscriptions' | 'users'> & {
    subscriptions?: Array<Omit<ScenarioCustomer['subscriptions'][number], 'offerId'> & { offer: string }>;
    users?: Array<Omit<ScenarioCustomer['users'][number], 'licenses'> & { licenses?: string[]; groupLicenses?: string[] }>;
  }>;
}

function toScenario(file: TenantFile, at: Locator, name: string, problems: Diagnostic[]): Scenario {
  const offers = file.offers ?? catalogOffers();
  const skus = file.skus ?? catalogSkus();
  const offerOf = lookup(offers, (o) => [o.id, o.name]);
  const skuOf = lookup(skus, (s) => [s.skuId, s.skuPartNumber]);
  const customers = file.customers.map((c, i): ScenarioCustomer => ({
    ...c,
    subscriptions: (c.subscriptions ?? []).map(({ offer, ...sub }, j) => {
      const found = offerOf(offer);
      if (!found) problems.push(unknown(at(['customers', i, 'subscriptions', j, 'offer']), `offer "${offer}" is not in offers`, offers.map((o) => o.name)));
      return { ...sub, offerId: found?.id ?? offer };
    }),
    users: (c.users ?? []).map((u, j) => {
      const skuIds = (field: 'licenses' | 'groupLicenses') =>
        (u[field] ?? []).map((l, k) => {
          const found = skuOf(l);
          if (!found) problems.push(unknown(at(['customers', i, 'users', j, field, k]), `licence "${l}" is no SKU id or part number in skus`, skus.map((s) => s.skuPartNumber)));
          return found?.skuId ?? l;
        });
      return { ...u, licenses: skuIds('licenses'), ...(u.groupLicenses ? { groupLicenses: skuIds('groupLicenses') } : {}) };
    }),
  }));
  return {
    name,
    description: file.description ?? `tenant file ${name}`,
    partnerTenantId: file.partnerTenantId ?? DEFAULT_PARTNER_TENANT,
    country: file.country ?? 'US',
    offers,
    skus,
    customers,
  };
}

function lookup<T>(items: readonly T[], keys: (item: T) => string[]): (ref: string) => T | undefined {
  return (ref) => items.find((item) => keys(item).some((k) => k.toLowerCase() === ref.trim().toLowerCase()));
}

function unknown(source: Diagnostic['source'], summary: string, known: readonly string[]): Diagnostic {
  return { severity: 'error', code: 'sim.unknown-reference', summary, detail: `known: ${known.join(', ')}`, source };
}
