import type { PriceGroup, ReplacementOffer, RetiredFamily, RetiredOffer, RetiredVariant } from './types.js';

/**
 * Offers that replace the retired "CRM Basic (Qualified Offer)" subscriptions. Offer ids are from a US
 * catalogue; SKU ids and part numbers from Microsoft's licensing list. Customer Service Professional's SKU is
 * not documented, so it comes from the live catalogue (`product.id` of the offer).
 */
export const BUILTIN_REPLACEMENTS: readonly ReplacementOffer[] = [
  {
    key: 'sales-professional',
    name: 'Dynamics 365 for Sales Professional',
    offerId: 'F28514F0-6516-4EF9-8222-1C605A05D245',
    skuId: 'be9f9771-1c64-4618-9907-244325141096',
    skuPartNumber: 'D365_SALES_PRO',
  },
  {
    key: 'customer-service-enterprise',
    name: 'Dynamics 365 for Customer Service Enterprise Edition',
    offerId: '58CD6573-6784-4467-B2FC-1A06BB874ED6',
    skuId: '749742bf-0d37-4158-a120-33567104deeb',
    skuPartNumber: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
  },
  {
    key: 'customer-service-professional',
    name: 'Dynamics 365 for Customer Service Professional',
    offerId: '51F99B45-3F92-4EF0-9167-B04709A62106',
  },
  {
    key: 'customer-engagement-plan',
    name: 'Dynamics 365 Customer Engagement Plan',
    aliases: ['Customer Engagement Plan Tier 1 (1-99 users)'],
    offerId: 'BB30B486-53BE-4ECF-BB85-6F50979F0579',
    skuId: 'ea126fc5-a19e-42e2-a731-da9d437bffcf',
    skuPartNumber: 'DYN365_ENTERPRISE_PLAN1',
  },
  {
    key: 'team-members',
    name: 'Dynamics 365 Team Members',
    offerId: 'B2CCB51A-43C2-47D4-92DB-DBF14553A185',
    skuId: '7ac9fe77-66b7-4e5e-9e46-10eed1cff547',
    skuPartNumber: 'DYN365_TEAM_MEMBERS',
  },
];

const FAMILIES: ReadonlyArray<{ family: RetiredFamily; base: string; replacements: readonly string[] }> = [
  {
    family: 'sales-enterprise',
    base: 'Dynamics 365 for Sales Enterprise Edition',
    replacements: ['sales-professional', 'customer-service-enterprise', 'customer-service-professional', 'team-members'],
  },
  {
    family: 'customer-engagement-plan',
    base: 'Dynamics 365 Customer Engagement Plan Enterprise Edition',
    replacements: ['customer-engagement-plan', 'sales-professional', 'customer-service-enterprise', 'team-members'],
  },
];

const VARIANTS: ReadonlyArray<{ variant: RetiredVariant; text: string }> = [
  { variant: 'crmol-basic', text: ' CRMOL Basic (Qualified Offer)' },
  { variant: 'from-sa', text: ' From SA for CRM Basic (Qualified Offer)' },
  { variant: 'add-on', text: ' Add-On for CRM Basic (Qualified Offer)' },
];

/** Government pricing is named right after the product; education audiences at the end. */
const PRICE_GROUPS: ReadonlyArray<{ priceGroup: PriceGroup; afterBase: string; suffix: string }> = [
  { priceGroup: 'commercial', afterBase: '', suffix: '' },
  { priceGroup: 'faculty', afterBase: '', suffix: ' for Faculty' },
  { priceGroup: 'students', afterBase: '', suffix: ' for Students' },
  { priceGroup: 'government', afterBase: ' (Government Pricing)', suffix: '' },
];

/**
 * The 24 retired offers (2 families × 3 variants × 4 price groups), named exactly as Partner Center shows
 * them. Their licence SKU is not documented: the live read learns it from the offer, or partner config says it.
 */
export const BUILTIN_RETIRED: readonly RetiredOffer[] = FAMILIES.flatMap(({ family, base, replacements }) =>
  VARIANTS.flatMap(({ variant, text }) =>
    PRICE_GROUPS.map(({ priceGroup, afterBase, suffix }) => ({
      name: `${base}${afterBase}${text}${suffix}`,
      family,
      variant,
      priceGroup,
      replacements,
    })),
  ),
);
