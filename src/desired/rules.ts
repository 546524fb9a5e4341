import type { Diagnostic, SourceLocation } from '../core/diagnostics.js';
import type { Locator } from './locate.js';
import { closest } from './typo.js';
import type { DesiredCustomer, DesiredSubscription } from './types.js';

/** A customer file after the schema step, with a way back to positions in it. */
export interface LoadedCustomer {
  readonly customer: DesiredCustomer;
  readonly at: Locator;
}

type Rule = (customers: readonly LoadedCustomer[]) => Diagnostic[];

/** A new-commerce offer id: `productId:skuId:availabilityId`. */
/** A new-commerce catalogue item: `productId:skuId`, optionally `:availabilityId` (apply reads the current one anyway). */
export const NEW_COMMERCE_OFFER = /^[^:\s]+:[^:\s]+(?::[^:\s]+)?$/;

/** The same customer id in two files: reported at every file, each naming the others. */
export const duplicateCustomer: Rule = (customers) => {
  const byId = new Map<string, LoadedCustomer[]>();
  for (const c of customers) if (c.customer.id) byId.set(c.customer.id, [...(byId.get(c.customer.id) ?? []), c]);
  return [...byId.values()]
    .filter((group) => group.length > 1)
    .flatMap((group) =>
      group.map(({ customer }) => {
        const others = group.filter((o) => o.customer !== customer).map((o) => where(o.customer.source));
        return error('rule.duplicate-customer', customer.source, `customer ${customer.id} is also declared in ${others.join(', ')}`, 'Each customer must have exactly one file.');
      }),
    );
};

/** `licenses[].subscription` or `from:` naming a handle that is not under `subscriptions:`. */
export const unknownHandle: Rule = (customers) =>
  customers.flatMap(({ customer, at }) => {
    const handles = customer.subscriptions.map((s) => s.handle);
    const known = handles.length > 0 ? `known: ${handles.join(', ')}` : 'there are no subscriptions in this file';
    return customer.licenses.flatMap((entry, i) =>
      (['subscription', 'from'] as const)
        .map((field) => [field, entry[field]] as const)
        .filter(([, handle]) => handle !== undefined && handle !== '' && !handles.includes(handle))
        .map(([field, handle]) => {
          const guess = closest(handle!, handles);
          const detail = guess ? `did you mean "${guess}"? (${known})` : `(${known})`;
          return error('rule.unknown-handle', at(['licenses', i, field]), `${field}: "${handle}" in licenses entry ${i + 1} is not a subscription handle of this file`, detail);
        }),
    );
  });

/** `from:` must point at a subscription with `match:`, the existing subscription whose holders move. */
export const fromWithoutMatch: Rule = (customers) =>
  customers.flatMap(({ customer, at }) =>
    customer.licenses.flatMap((entry, i) => {
      const source = customer.subscriptions.find((s) => s.handle === entry.from);
      if (!source || source.match) return [];
      return [
        error(
          'rule.from-without-match',
          at(['licenses', i, 'from']),
          `from: "${source.handle}" takes its users from an existing subscription, but subscription "${source.handle}" has no match:`,
          'Add match: (offerName, offerId or subscriptionId) to say which live subscription the users hold now.',
        ),
      ];
    }),
  );

/** A user listed twice for one subscription, or for two subscriptions of the same offer. */
export const userTwice: Rule = (customers) =>
  customers.flatMap(({ customer }) => {
    const out: Diagnostic[] = [];
    const seen = new Map<string, { sub: DesiredSubscription | undefined; handle: string; source: SourceLocation }[]>();
    customer.licenses.forEach((entry) => {
      const sub = customer.subscriptions.find((s) => s.handle === entry.subscription);
      (entry.users ?? []).forEach((upn, j) => {
        const source = entry.userSources?.[j] ?? entry.source;
        const earlier = seen.get(upn) ?? [];
        const again = earlier.find((e) => e.handle === entry.subscription);
        const sameOffer = earlier.find((e) => e.handle !== entry.subscription && sub?.offer !== undefined && sameOfferRef(e.sub?.offer, sub.offer));
        if (again) out.push(error('rule.user-twice', source, `${upn} is listed twice for subscription "${entry.subscription}" (first at ${where(again.source)})`));
        else if (sameOffer) {
          out.push(
            error('rule.user-twice', source, `${upn} is listed for subscriptions "${sameOffer.handle}" and "${entry.subscription}", which are the same offer (first at ${where(sameOffer.source)})`, 'A user holds one licence per product; list them once.'),
          );
        }
        seen.set(upn, [...earlier, { sub, handle: entry.subscription, source }]);
      });
    });
    return out;
  });

/** `term:` / `billing:` only mean something for a new-commerce `productId:skuId:availabilityId` offer. */
export const termNeedsNewCommerce: Rule = (customers) =>
  customers.flatMap(({ customer, at }) =>
    customer.subscriptions.flatMap((s) => {
      const fields = (['term', 'billing'] as const).filter((f) => s[f] !== undefined);
      if (fields.length === 0 || (s.offer !== undefined && NEW_COMMERCE_OFFER.test(s.offer))) return [];
      const what = fields.map((f) => `${f}:`).join(' and ');
      return [
        error(
          'rule.term-needs-new-commerce',
          at(['subscriptions', s.handle, fields[0]!]),
          `subscription "${s.handle}" has ${what}, which only apply to a new-commerce offer id (productId:skuId[:availabilityId])`,
          s.offer ? `offer "${s.offer}" is a legacy offer or a catalogue name; remove ${what} or use the productId:skuId[:availabilityId] id.` : undefined,
        ),
      ];
    }),
  );

/** A subscription being retired (`status: suspended`) cannot also be where users get their licence. */
export const suspendedTarget: Rule = (customers) =>
  customers.flatMap(({ customer, at }) =>
    customer.licenses.flatMap((entry, i) => {
      const sub = customer.subscriptions.find((s) => s.handle === entry.subscription);
      if (sub === undefined || sub.status === 'active') return [];
      return [
        error(
          'rule.suspended-target',
          at(['licenses', i, 'subscription']),
          `licenses entry ${i + 1} gives users subscription "${sub.handle}", which has status: ${sub.status}`,
          `Retiring it would take the licence away again; give them the replacement subscription instead ("${sub.handle}" is at ${where(sub.source)}).`,
        ),
      ];
    }),
  );

/** `renewal:` shapes the next term of a subscription that stays: not one being retired. */
export const renewalOfRetiring: Rule = (customers) =>
  customers.flatMap(({ customer }) =>
    customer.subscriptions.flatMap((s) =>
      s.renewal === undefined || s.status === 'active'
        ? []
        : [
            error(
              'rule.renewal-of-retiring',
              s.renewal.source,
              `subscription "${s.handle}" has renewal: but also status: ${s.status}, so it will not renew`,
              'Remove renewal: (the subscription is being retired), or remove status: to keep it and shape its next term.',
            ),
          ],
    ),
  );

/** Every cross-file rule, by name; all run and all results are reported together. */
export const RULES: Readonly<Record<string, Rule>> = {
  duplicateCustomer,
  unknownHandle,
  fromWithoutMatch,
  userTwice,
  termNeedsNewCommerce,
  suspendedTarget,
  renewalOfRetiring,
};

export function runRules(customers: readonly LoadedCustomer[]): Diagnostic[] {
  return Object.values(RULES).flatMap((rule) => rule(customers));
}

function sameOfferRef(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function where(s: SourceLocation): string {
  return `${s.file}:${s.line}:${s.column}`;
}

function error(code: string, source: SourceLocation, summary: string, detail?: string): Diagnostic {
  return detail ? { severity: 'error', code, summary, detail, source } : { severity: 'error', code, summary, source };
}
