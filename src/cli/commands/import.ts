import { offersFor } from '../../catalog/offer-view.js';
import { existsSync } from 'node:fs';
import { makeDirs, writeFileNoFollow } from '../../core/write-file.js';
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
import type { WireCustomer } from '../../partner-center/wire.js';
import { clockFrom } from '../clock.js';
import { connect } from '../connect.js';
import { line, type CliIo } from '../io.js';
import { loadPartnerConfig } from '../partner-config.js';
import { recheckFromEnv } from '../polling.js';
import { checkOutDir, checkOutName, CUSTOMER_FILE } from '../out-file.js';
import { selectCustomers } from '../pipeline.js';
import { loadDesiredState } from '../../desired/load.js';

export interface ImportOptions {
  /** One customer: its (tenant) id or its domain. */
  readonly customer?: string;
  /** Every customer with a retired subscription in use, one file each. */
  readonly all?: boolean;
  readonly dir: string;
  /** One customer: the file (default stdout). `--all`: the directory (default `<dir>/customers`). */
  readonly out?: string;
  readonly force?: boolean;
  readonly endpoint?: string;
  readonly now?: string;
}

interface ImportContext {
  readonly io: CliIo;
  readonly opts: ImportOptions;
  readonly reader: LiveReader;
  readonly partner: ReturnType<typeof loadPartnerConfig>;
  readonly now: Date;
}

/**
 * Read-only: writes a desired-state file for one customer (`--customer`) or for every customer with a retired
 * subscription in use (`--all`) from live state — the catalogue's replacement for each retired subscription,
 * `from:` its current holders, the retired one suspended. Exit 0 when written; `--all`: 1 when any customer
 * could not be imported (the others are written).
 */
export async function importCommand(io: CliIo, opts: ImportOptions): Promise<number> {
  if (opts.all && opts.customer) throw new UserError('import.all-and-customer', 'give either --customer <id> or --all, not both.');
  if (!opts.all && !opts.customer) throw new UserError('import.needs-customer', 'import needs --customer <id or domain> (one customer) or --all (every customer with a retired subscription in use).');
  const now = clockFrom(io, opts.now);
  if (!opts.all) checkOutName('--out', opts.out, CUSTOMER_FILE);
  else checkOutDir('--out', resolve(io.cwd, opts.out ?? join(opts.dir, 'customers')), opts.out ?? join(opts.dir, 'customers'));
  const out = !opts.all && opts.out ? resolve(io.cwd, opts.out) : undefined;
  if (out && existsSync(out) && !opts.force) throw new UserError('import.exists', `${opts.out} already exists; pass --force to overwrite it.`);
  const partner = loadPartnerConfig(io, opts.dir);
  const { client } = connect(io, { endpoint: opts.endpoint, readOnly: true });
  const reader: LiveReader = { client, catalog: buildCatalog(partner.catalog), offers: new OfferCache(client, partner.country), now: now.toISOString(), recheck: recheckFromEnv(io.env) };
  const { problem: catalogueProblem } = await reader.offers.catalogue();
  if (catalogueProblem) {
    throw new UserError('import.catalogue-unreadable', `nothing written: ${catalogueProblem}. Without the catalogue pcsync cannot propose a replacement it can buy.`);
  }
  const ctx: ImportContext = { io, opts, reader, partner, now };
  if (opts.all) return importAll(ctx);
  const { key, known } = customerIdOf(io, opts.dir, opts.customer!.trim());
  const customer = await findCustomer(ctx, key, known);
  const made = await importOne(ctx, customer, out);
  if (!out) {
    io.stdout(made.yaml);
    return 0;
  }
  write(ctx, out, opts.out!, made);
  line(io.stderr, `Review it, then: pcsync validate && pcsync plan --customer ${inertText(customer.id)}`);
  return 0;
}

/**
 * `--customer` resolves as `plan --customer` does first: the id, `domain:` or file name (`contoso`, `contoso.yaml`)
 * of a customer in the desired state gives that customer's id. Anything else is passed on as given (a customer not
 * in the desired state yet, the usual case for import): `findCustomer` reads it as a tenant id or a domain.
 */
function customerIdOf(io: CliIo, dir: string, key: string): { readonly key: string; readonly known?: string } {
  const { value } = loadDesiredState(resolve(io.cwd, dir), { displayRoot: io.cwd });
  if (!value) return { key };
  try {
    return { key: selectCustomers(value, [key])[0]!.id };
  } catch (err) {
    if (err instanceof UserError) return { key, known: err.message };
    throw err;
  }
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The customer `--customer` names: a tenant id is read directly (GET /v1/customers/{id}); anything else is taken as
 * a domain and looked up in the partner's customer list (companyProfile.domain). A customer Partner Center does not
 * know is a UserError with its own words — there is no desired-state file to check yet.
 */
async function findCustomer(ctx: ImportContext, key: string, inDesiredState?: string): Promise<WireCustomer> {
  const { client } = ctx.reader;
  if (!TENANT_ID.test(key)) {
    const all = await client.listCustomers();
    const hits = all.filter((c) => c.companyProfile?.domain?.toLowerCase() === key.toLowerCase());
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) throw new UserError('import.ambiguous-customer', `${hits.length} customers have the domain ${excerpt(key)} (${hits.map((c) => c.id).join(', ')}); pass --customer <customer id>.`);
    // A name that looks like a domain is about Partner Center only (import usually writes the first file); a bare
    // name (`contoso`, `contoso.yaml`) was meant as a desired-state file, so those are listed too.
    const fileLike = inDesiredState !== undefined && (!/\.[a-z]{2,}$/i.test(key) || /\.ya?ml$/i.test(key));
    const local = fileLike ? ` ${inDesiredState}` : '';
    const takes = fileLike ? 'a customer (tenant) id, its domain or its desired-state file name' : 'a customer (tenant) id or its domain';
    throw new UserError('import.unknown-customer', `no customer of this partner has the domain ${excerpt(key)} (${all.length} customer(s) read).${local} --customer takes ${takes}; pcsync report lists the customers still on a retired subscription.`);
  }
  return client.getCustomer(key).catch((err: unknown) => {
    if (err instanceof ApiError && (err.status === 404 || err.code === 20002)) {
      const code = err.code !== undefined ? ` (code ${err.code})` : ` (HTTP ${err.status})`;
      throw new UserError('import.unknown-customer', `customer ${excerpt(key)} is not one of this partner's customers: Partner Center answered ${excerpt(err.description, 200)}${code}. Check the id (pcsync report lists the customers still on a retired subscription), or pass its domain.`);
    }
    throw err;
  });
}

/**
 * `--all`: every customer (all pages) with a retired subscription in use gets `<out>/<name>.yaml`, named after its
 * domain; an existing file is skipped unless `--force`. A customer that cannot be imported is named with the
 * reason and the others go on.
 */
async function importAll(ctx: ImportContext): Promise<number> {
  const { io, opts } = ctx;
  const dir = resolve(io.cwd, opts.out ?? join(opts.dir, 'customers'));
  const customers = await ctx.reader.client.listCustomers();
  const taken = new Set<string>();
  let written = 0;
  let skipped = 0;
  const failed: string[] = [];
  for (const customer of customers) {
    const who = `${inertText(customer.companyProfile?.companyName ?? customer.id)} (${customer.id})`;
    const file = join(dir, `${fileNameFor(customer, taken)}.yaml`);
    try {
      const made = await importOne(ctx, customer, file);
      if (existsSync(file) && !opts.force) {
        skipped++;
        line(io.stderr, `${who}: ${inertText(relative(io.cwd, file))} exists; skipped (pass --force to overwrite it).`);
        continue;
      }
      write(ctx, file, relative(io.cwd, file), made);
      written++;
    } catch (err) {
      if (err instanceof UserError && err.code === 'import.nothing') continue;
      if (!(err instanceof UserError) && !(err instanceof ApiError)) throw err;
      failed.push(who);
      line(io.stderr, `${who}: not imported: ${err instanceof ApiError ? err.userMessage : err.message}`);
    }
  }
  line(io.stderr, `import --all: ${customers.length} customer(s) read; ${written} file(s) written, ${skipped} skipped (exist), ${failed.length} not imported${failed.length > 0 ? `: ${failed.join(', ')}` : ''}.`);
  if (written > 0) line(io.stderr, 'Review them, then: pcsync validate && pcsync plan');
  return failed.length > 0 ? 1 : 0;
}

/** `contoso` from `contoso.onmicrosoft.com`; the company name or the id when there is no domain; unique in this run. */
function fileNameFor(c: { id: string; companyProfile?: { domain?: string; companyName?: string } }, taken: Set<string>): string {
  const base = (c.companyProfile?.domain?.split('.')[0] ?? c.companyProfile?.companyName ?? c.id).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || c.id.toLowerCase();
  const name = taken.has(base) ? `${base}-${c.id.slice(0, 8).toLowerCase()}` : base;
  taken.add(name);
  return name;
}

interface Imported {
  readonly yaml: string;
  readonly full: ReturnType<typeof withHolders>;
  readonly schema: string;
}

/** One customer's proposal, grounded in who holds what now, as YAML; a UserError when it cannot be written. */
async function importOne(ctx: ImportContext, customer: WireCustomer, out: string | undefined): Promise<Imported> {
  const { io, opts, reader, partner, now } = ctx;
  const subs = await Promise.all((await reader.client.listSubscriptions(customer.id)).map((s) => toSubscription(reader, s, customer.id)));
  const info = { id: customer.id, companyName: customer.companyProfile?.companyName, domain: customer.companyProfile?.domain?.toLowerCase() };
  const offers = offersFor((await reader.offers.catalogue()).offers, await reader.offers.lookedUp(subs.map((s) => s.offerId)));
  const proposal = propose(info, subs, reader.catalog, offers, now, partner.country);
  if (proposal.withoutReplacement.length > 0) {
    throw new UserError('import.no-replacement', `no replacement is known for ${proposal.withoutReplacement.map((n) => `"${inertText(n)}"`).join(', ')}; add one under catalog.retired in pcsync.yaml.`);
  }
  if (proposal.retirements.length === 0) {
    throw new UserError('import.nothing', `${inertText(info.companyName ?? customer.id)} has no retired CRM Basic subscription in use; nothing to import (pcsync report lists the customers that have one).`);
  }
  const live = await readCustomer(reader, desiredOf(proposal, out ?? '(import)'));
  const gaps = ungrounded(proposal, live);
  if (gaps.length > 0) {
    throw new UserError('import.unknown-holders', `nothing written for ${inertText(info.companyName ?? customer.id)} (${customer.id}): pcsync cannot tell who holds the retired licences:\n  - ${gaps.join('\n  - ')}\nRun import again later; if it persists, check the licences in the customer's admin centre.`);
  }
  const full = withHolders(proposal, live);
  // The same reference `pcsync init` sets up: schemas/ beside the desired-state directory, relative to the file.
  const schema = join(resolve(io.cwd, opts.dir), '..', 'schemas', 'customer.schema.json');
  const yaml = renderImportYaml(full, out ? relative(dirname(out), schema).split('\\').join('/') : CUSTOMER_SCHEMA_REF);
  for (const r of full.replacements) {
    if (r.priceGroupChanged) line(io.stderr, `warning: ${r.handle} "${inertText(r.name)}" is a ${priceGroupChangeText(full, r.priceGroupChanged)}.`);
  }
  for (const r of full.retirements) if (r.sharedWith) line(io.stderr, `warning: ${sharedSkuText(r)}.`);
  return { yaml, full, schema };
}

function write(ctx: ImportContext, file: string, shown: string, made: Imported): void {
  const { io } = ctx;
  makeDirs(dirname(file));
  writeFileNoFollow(file, made.yaml, shown);
  const { full } = made;
  const moves = full.retirements.reduce((n, r) => n + r.holders.length - r.movedWith.length, 0);
  const buy = full.replacements.length > 0 ? `buy ${full.replacements.map((r) => inertText(r.name)).join(' and ')}, ` : '';
  line(io.stderr, `Wrote ${inertText(shown)}: ${buy}move ${moves} user(s), suspend ${full.retirements.length} retired subscription(s).`);
  if (!existsSync(made.schema)) line(io.stderr, `Its $schema comment points at ${inertText(relative(io.cwd, made.schema))}, which does not exist yet: pcsync init copies the schemas there.`);
}
