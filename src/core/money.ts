import { inertText } from './inert.js';

/**
 * An amount of money as reviewers read it: `USD 3,900.00` — the currency code (inert text: it may come from a
 * price sheet), thousands separated by commas, two decimals.
 */
export function formatMoney(currency: string, amount: number): string {
  const [whole, cents] = amount.toFixed(2).split('.');
  return `${inertText(currency)} ${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
