import { buildCatalog, nameKey } from '../catalog/index.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { LoadedCustomer } from './rules.js';
import { NEW_COMMERCE_OFFER } from './rules.js';
import { editDistance } from './typo.js';
import type { DesiredSubscription, PartnerConfig } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Words whose presence or absence does not change which product a name means ("Dynamics 365 [for] Sales …"). */
const FILLER = new Set(['for', 'the', 'edition', 'microsoft']);

/**
 * What `validate` can say about offers without the network, against the built-in catalogue plus pcsync.yaml's
 * additions:
 * - `rule.unknown-offer`: an offer *name* that is not in the catalogue but is close to one that is (a typo such
 *   as "Dynamics 365 Sales Professional"), with the name it probably means. Names far from every catalogue name
 *   and offer ids (GUIDs, `productId:skuId:availabilityId`) are left to `plan`, which asks the live catalogue.
 * - `rule.quantity-below-users`: an explicit `quantity:` smaller than the users listed by name for it.
 */
export function offlineChecks(customers: readonly LoadedCustomer[], partner: PartnerConfig): Diagnostic[] {
  const catalog = buildCatalog(partner.catalog);
  const names = catalog.replacements.flatMap((r) => [r.name, ...(r.aliases ?? [])]);
  const known = new Set([...names, ...catalog.replacements.map((r) => r.key)].map(nameKey));
  return customers.flatMap(({ customer }) =>
    customer.subscriptions.flatMap((sub) => [
      ...unknownOffer(sub, names, known),
      ...quantityBelowUsers(sub, countListedUsers(customer.licenses, sub.handle)),
    ]),
  );
}

function unknownOffer(sub: DesiredSubscription, names: readonly string[], known: ReadonlySet<string>): Diagnostic[] {
  const ref = sub.offer;
  if (ref === undefined || GUID.test(ref) || NEW_COMMERCE_OFFER.test(ref) || known.has(nameKey(ref))) return [];
  const guess = nearest(ref, names);
  if (!guess) return [];
  return [
    {
      severity: 'error',
      code: 'rule.unknown-offer',
      summary: `offer "${ref}" is not in the catalogue; did you mean "${guess}"?`,
      detail: 'Use the catalogue name exactly, or the offer id (partner-specific offers go under catalog.replacements in pcsync.yaml).',
      source: sub.fieldSources?.offer ?? sub.source,
    },
  ];
}

function quantityBelowUsers(sub: DesiredSubscription, listed: number): Diagnostic[] {
  if (typeof sub.quantity !== 'number' || sub.quantity >= listed) return [];
  return [
    {
      severity: 'error',
      code: 'rule.quantity-below-users',
      summary: `quantity ${sub.quantity} of ${sub.handle} is less than the ${listed} user(s) listed for it`,
      detail: 'Use quantity: auto (users assigned + headroom) or at least the number of users listed.',
      source: sub.fieldSources?.quantity ?? sub.source,
    },
  ];
}

function countListedUsers(licenses: LoadedCustomer['customer']['licenses'], handle: string): number {
  return new Set(licenses.filter((l) => l.subscription === handle).flatMap((l) => l.users ?? [])).size;
}

/** A name key that ignores punctuation and filler words. */
function loose(name: string): string {
  return nameKey(name.replace(/[^\p{L}\p{N}]+/gu, ' '))
    .split(' ')
    .filter((w) => w && !FILLER.has(w))
    .join(' ');
}

/** The catalogue name `written` most plausibly means: same words but filler, or a few characters off. */
function nearest(written: string, names: readonly string[]): string | undefined {
  const w = loose(written);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const n = loose(name);
    const distance = n === w ? 0 : editDistance(w, n);
    if (distance <= Math.max(2, Math.floor(n.length * 0.15)) && distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}
