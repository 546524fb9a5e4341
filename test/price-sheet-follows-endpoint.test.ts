import { afterEach, describe, expect, it } from 'vitest';
import { startSim, type StartedSim } from './helpers/sim.js';
import { priceSheetSource } from '../src/partner-center/price-sheet.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/**
 * Pointed at another Partner Center (the simulator), the price sheet is read from there too, as Graph is: with only
 * PARTNER_CENTER_ENDPOINT set, a first-day user of `pcsync sim` priced against Microsoft's real host (breaker of
 * issue 23). The default host stays Microsoft's for the real endpoint, and PARTNER_CENTER_PRICES_ENDPOINT still wins.
 */
describe('the price sheet host follows PARTNER_CENTER_ENDPOINT', () => {
  it('reads the sheet from the simulator when only PARTNER_CENTER_ENDPOINT names it', async () => {
    sim = await startSim({ scenario: 'demo' });
    const book = await priceSheetSource({ PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'test-token' }, 'US').read();
    expect(book.rows.length).toBeGreaterThan(0);
    expect(sim.audit.requests().filter((r) => r.path.includes('pricesheets'))).toHaveLength(1);
  });

  it('an explicit PARTNER_CENTER_PRICES_ENDPOINT still decides', async () => {
    sim = await startSim({ scenario: 'demo' });
    const book = await priceSheetSource({ PARTNER_CENTER_ENDPOINT: 'https://api.partnercenter.microsoft.com', PARTNER_CENTER_PRICES_ENDPOINT: sim.url, PARTNER_CENTER_PRICES_TOKEN: 'test-token' }, 'US').read();
    expect(book.rows.length).toBeGreaterThan(0);
  });
});
