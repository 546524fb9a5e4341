import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDesiredState, demoEnv } from './helpers/demo.js';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';

/** pcsync.yaml comes from pull requests: its price list must not read, or quote, files outside desired-state/. */
describe('prices.file', () => {
  let sim: StartedSim;
  beforeAll(async () => (sim = await startSim({ scenario: 'demo' })));
  afterAll(async () => sim?.close());

  const withPrices = (file: string, csv?: string) =>
    copyDesiredState((f) => {
      f['pcsync.yaml'] = `${f['pcsync.yaml']!.trimEnd()}\nprices:\n  file: ${file}\n`;
      if (csv !== undefined) f['prices.csv'] = csv;
    });

  it('outside the desired-state directory is refused before any request, and nothing of it is quoted', async () => {
    const dir = withPrices('/proc/self/environ');
    const before = sim.audit.requests().length;
    const res = await runCli(['plan', '--dir', dir], { env: { ...demoEnv(sim), CANARY_VALUE: 'canary-7f3a' } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/environ is outside the desired-state directory/);
    expect(res.stdout + res.stderr).not.toContain('canary-7f3a');
    expect(sim.audit.requests().length).toBe(before);
  });

  it('a decimal comma or a hex number is an error naming the line, never a price 100 times too high', async () => {
    const header = 'ProductId,SkuId,OfferId,Market,Currency,UnitPrice,TermDuration,BillingPlan\n';
    for (const price of ['"65,00"', '0x41']) {
      const dir = withPrices('prices.csv', `${header},,F28514F0-6516-4EF9-8222-1C605A05D245,US,USD,${price},P1Y,Monthly\n`);
      writeFileSync(join(dir, 'ignored.txt'), '');
      const res = await runCli(['plan', '--dir', dir], { env: demoEnv(sim) });
      expect(res.code, res.stdout).toBe(1);
      expect(res.stderr).toMatch(/prices\.csv:2: UnitPrice .* is not a plain decimal price/);
    }
  });
});
