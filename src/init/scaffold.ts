import { partnerWorkflows, type WorkflowOptions } from './workflows.js';

/**
 * Where `pcsync init` puts the JSON Schemas: `schemas/` at the repository root, beside `desired-state/`, the same
 * place as in pcsync's own repository, so `$schema=../../schemas/customer.schema.json` in a customer file (and
 * `../schemas/partner.schema.json` in pcsync.yaml) resolves in both.
 */
export const SCHEMA_DIR = 'schemas';
export const SCHEMA_FILES = ['customer.schema.json', 'partner.schema.json'] as const;

/**
 * What `.gitignore` must hold: apply's journal and customer locks, and the files pcsync and its action write into
 * the repository — the saved plan (`plan --out plan.json`), its renderings, the drift report and the apply log. They
 * name users and customers; `git add .` must not stage them.
 */
export const GITIGNORE_LINES = ['.pcsync/', 'plan.json', 'plan.md', 'plan-full.md', 'drift.md', 'renewals.md', 'apply.log'] as const;

const PARTNER_CONFIG = `# yaml-language-server: $schema=../schemas/partner.schema.json
#
# Partner-wide settings for pcsync (written by pcsync init). Every setting has a default; this file
# spells out the common ones so you can see what there is to change. The schema next door
# (../schemas/partner.schema.json) lists them all; point your editor's YAML language server at it.
apiVersion: pcsync/v1
kind: PartnerConfig

# Two-letter country of your Partner Center account. Offer names such as
# "Dynamics 365 for Sales Professional" are looked up in this country's catalogue.
country: US

# The most customers pcsync works on at the same time (default 256). Within it pcsync
# chooses how many as it runs: more while Partner Center's rate limit (about 500 requests
# a minute per partner) has room, fewer when it is saturated or answers 429.
# concurrency: 256

# Extra seats bought on top of "quantity: auto" (which buys exactly one seat per user
# assigned in the customer file). 0 = buy only what the listed users need.
seatHeadroom: 0

# Prices for the cost preview: every plan and pull-request comment shows what each purchase
# costs a month and commits you to. priceSheet reads Partner Center's price sheet once per run;
# it needs an App+User credential of a partner user who is an Admin agent or Sales agent. With a
# credential that cannot read it (such as a read-only plan credential), plans say "price unknown"
# and why. Then download the licence-based price list each month instead and name it here:
#   file: prices/2026-12-US.csv        (a path inside desired-state/)
prices:
  priceSheet: true

# Optional: the most one run may commit to (unit price x seats x term months over every purchase).
# A customer that would pass it is blocked, and so is one whose price is unknown. The cap is per
# run: divide it between shards (--shard) as you divide the rate limit.
# policy:
#   maxSpendPerRun: { amount: 25000, currency: USD }
`;

const EXAMPLE_CUSTOMER = `# yaml-language-server: $schema=../../schemas/customer.schema.json
#
# AN EXAMPLE, NOT READ BY PCSYNC: only desired-state/customers/ is. Write a real customer's file with
#   pcsync import --customer <customer id> --out desired-state/customers/<name>.yaml
# or copy this one there and put in your customer's id and domain.
#
# Contoso still has the retired "Dynamics 365 for Sales Enterprise Edition CRMOL Basic
# (Qualified Offer)" subscription, which can no longer renew. This file moves everyone
# on it to Dynamics 365 for Sales Professional and then retires the old subscription.
apiVersion: pcsync/v1
kind: Customer

customer:
  # The customer's Partner Center id (the same as its Microsoft Entra tenant id).
  id: 8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d
  # Optional: checked against Partner Center, so a mistyped id cannot go unnoticed.
  domain: contoso.onmicrosoft.com

# The subscriptions Contoso should have. The names on the left (sales-pro,
# legacy-sales) are handles: local labels the licenses section below refers to.
subscriptions:
  # The replacement. "offer" is what to have; pcsync buys it if Contoso has none.
  sales-pro:
    offer: Dynamics 365 for Sales Professional
    # auto = one seat per user given this licence below. pcsync raises the quantity
    # when more seats are needed and never lowers it on its own.
    quantity: auto

  # The retired subscription. "match" finds the one Contoso already has, by the offer
  # name Partner Center shows. status: suspended retires it, but only once nobody holds
  # its licence any more; pcsync never suspends a subscription that is still in use.
  legacy-sales:
    match:
      offerName: "Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)"
    status: suspended

# Who holds which licence.
licenses:
  # Everyone who holds the legacy-sales licence today gets the sales-pro licence
  # instead, in one step per user, so nobody is ever without access.
  - subscription: sales-pro
    from: legacy-sales
`;

/**
 * Every file `pcsync init` writes, by path relative to the repository (schemas and .gitignore are handled apart);
 * without workflow options (`--local`, a trial on one machine) no workflows.
 */
export function scaffoldFiles(o: WorkflowOptions | undefined): Record<string, string> {
  return {
    'desired-state/pcsync.yaml': PARTNER_CONFIG,
    'desired-state/customers/.gitkeep': '',
    'desired-state/examples/contoso.yaml': EXAMPLE_CUSTOMER,
    ...(o ? partnerWorkflows(o) : {}),
  };
}
