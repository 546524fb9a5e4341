import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildCatalog } from '../../catalog/index.js';
import { UserError } from '../../core/errors.js';
import { excerpt, inertText } from '../../core/inert.js';
import { desiredOf } from '../../import/desired.js';
import { ungrounded } from '../../import/ground.js';
import { propose, withHolders } from '../../import/propose.js';
import { CUSTOMER_SCHEMA_REF, priceGroupChangeText, renderImportYaml, sharedSkuText } from '../../import/yaml.js';
import { OfferCache } from '../../live/offers.js';
import { readCustomer, toSubscription, type LiveReader } from '../../live/read.js';
import { ApiError } from '../../partner-center/errors.js';
import { clockFrom } from '../clock.js';
import { connect } from '../connect.js';
import { line, type CliIo } from '../io.js';
import { loadPartnerConfig } from '../partner-config.js';
import { recheckFromEnv } from '../polling.js';

export interface ImportOptions {
  readonly customer: string;
  readonly dir: string;
  readonly out?: string;
  readonly force?: boolean;
  readonly endpoint?: string;
  readonly now?: string;
}

/**
 * Read-only: writes a desired-state file for one customer from live state — the catalogue's replacement for
 * each retired subscription, `from:` its current holders, the retired one suspended. Exit 0 when written.
 */
export async function importCommand(io: CliIo, opts: ImportOptions): Promise<number> {
  const now = clockFrom(io, opts.now);
  const out = opts.out ? resolve(io.cwd, opts.out) : undefined;
  if (out && existsSync(out) && !opts.force) throw new UserError('import.exists', `${opts.out} already exists; pass --force to overwrite it.`);
  const partner = loadPartnerConfig(io, opts.dir);
  const { client } = connect(io, { endpoint: opts.endpoint, readOnly: true });
  const reader: LiveReader = { client, catalog: buildCatalog(partner.catalog), offers: new OfferCache(client, partner.country), recheck: recheckFromEnv(io.env) };
  await reader.offers.loadCatalogue();
  const catalogueProblem = reader.offers.catalogueProblem;
  if (catalogueProblem) {
    throw new UserError('import.catalogue-unreadable', `nothing written: ${catalogueProblem}. Without the catalogue pcsync cannot propose a replacement it can buy.`);
  }
  const customer = await client.getCustomer(opts.customer).catch((err: unknown) => {
    if (err instanceof ApiError && (err.status === 404 || err.code === 20002)) {
      throw new UserError('import.unknown-customer', `customer ${excerpt(opts.customer)} is not one of this partner's customers (${err.userMessage}).`);
    }
    throw err;
  });
  const subs = await Promise.all((await client.listSubscriptions(customer.id)).map((s) => toSubscription(reader, s, customer.id)));
  const info = { id: customer.id, companyName: customer.companyProfile?.companyName, domain: customer.companyProfile?.domain?.toLowerCase() };
  const proposal = propose(info, subs, reader.catalog, await reader.offers.snapshot(), now, partner.country);
  if (proposal.withoutReplacement.length > 0) {
    throw new UserError('import.no-replacement', `no replacement is known for ${proposal.withoutReplacement.map((n) => `"${inertText(n)}"`).join(', ')}; add one under catalog.retired in pcsync.yaml.`);
  }
  if (proposal.retirements.length === 0) {
    throw new UserError('import.nothing', `${inertText(info.companyName ?? customer.id)} has no retired CRM Basic subscription in use; nothing to import (pcsync report lists the customers that have one).`);
  }
  const live = await readCustomer(reader, desiredOf(proposal, opts.out ?? '(import)'));
  const gaps = ungrounded(proposal, live);
  if (gaps.length > 0) {
    throw new UserError('import.unknown-holders', `nothing written for ${info.companyName ?? customer.id} (${customer.id}): pcsync cannot tell who holds the retired licences:\n  - ${gaps.join('\n  - ')}\nRun import again later; if it persists, check the licences in the customer's admin centre.`);
  }
  const full = withHolders(proposal, live);
  // The same reference `pcsync init` sets up: schemas/ beside the desired-state directory, relative to the file.
  const schema = join(resolve(io.cwd, opts.dir), '..', 'schemas', 'customer.schema.json');
  const yaml = renderImportYaml(full, out ? relative(dirname(out), schema).split('\\').join('/') : CUSTOMER_SCHEMA_REF);
  for (const r of full.replacements) {
    if (r.priceGroupChanged) line(io.stderr, `warning: ${r.handle} "${r.name}" is a ${priceGroupChangeText(full, r.priceGroupChanged)}.`);
  }
  for (const r of full.retirements) if (r.sharedWith) line(io.stderr, `warning: ${sharedSkuText(r)}.`);
  if (!out) {
    io.stdout(yaml);
    return 0;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, yaml);
  const moves = full.retirements.reduce((n, r) => n + r.holders.length - r.movedWith.length, 0);
  const buy = full.replacements.length > 0 ? `buy ${full.replacements.map((r) => inertText(r.name)).join(' and ')}, ` : '';
  line(io.stderr, `Wrote ${inertText(opts.out ?? '')}: ${buy}move ${moves} user(s), suspend ${full.retirements.length} retired subscription(s).`);
  if (!existsSync(schema)) line(io.stderr, `Its $schema comment points at ${inertText(relative(io.cwd, schema))}, which does not exist yet: pcsync init copies the schemas there.`);
  line(io.stderr, `Review it, then: pcsync validate && pcsync plan --customer ${inertText(customer.id)}`);
  return 0;
}
