import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRITY_FIELD, sealPlan, sealPlanTo } from '../src/apply/plan-file.js';
import { packPlan } from '../src/apply/plan-pack.js';
import { hashOf, stableStringify } from '../src/core/hash.js';
import { writeFileStreamed } from '../src/core/write-file.js';
import { render, renderChunks, RENDER_FORMATS } from '../src/render/index.js';
import { fleetPlan } from './helpers/fleet-plan.js';
import { jsonChunks, renderReport, reportChunks, REPORT_FORMATS } from '../src/report/render.js';
import type { RetiredReport } from '../src/report/types.js';

/**
 * Issue 24, "stream every output": plan, plan --out and show write a customer at a time, so no output of a fleet
 * is ever one string. The parts must add up to exactly what the whole-text renderers and the old seal gave.
 */
describe('every output is written a customer at a time, with the same bytes', () => {
  const plan = fleetPlan(40);

  it('the sealed plan comes in more than one chunk per customer and is the whole-text seal, integrity and all', () => {
    const chunks: string[] = [];
    sealPlanTo(plan, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(plan.customers.length);
    const body = packPlan(plan);
    const whole = `${stableStringify({ ...body, [INTEGRITY_FIELD]: hashOf(body) })}\n`;
    expect(chunks.join('')).toBe(whole);
    expect(sealPlan(plan)).toBe(whole);
    // no chunk holds more than one customer
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(whole.length / 10);
  });

  it('an empty plan seals the same way', () => {
    const empty = { ...plan, customers: [] };
    const body = packPlan(empty);
    expect(sealPlan(empty)).toBe(`${stableStringify({ ...body, [INTEGRITY_FIELD]: hashOf(body) })}\n`);
  });

  for (const format of RENDER_FORMATS) {
    for (const complete of [false, true]) {
      it(`${format}${complete ? ' (complete, as show)' : ''}: chunks are whole lines, one customer or less each`, () => {
        const chunks = [...renderChunks(plan, format, { complete, hideUsers: format === 'text' })];
        expect(chunks.join('')).toBe(render(plan, format, { complete, hideUsers: format === 'text' }));
        for (const c of chunks) expect(c.endsWith('\n'), JSON.stringify(c.slice(-40))).toBe(true);
        if (format !== 'markdown' || complete) expect(chunks.length).toBeGreaterThan(plan.customers.length / 2);
      });
    }
  }

  it('the file is written beside its name and renamed over it: an older plan is replaced, no temporary file is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-stream-'));
    const file = join(dir, 'plan.json');
    writeFileSync(file, 'old');
    writeFileStreamed(file, (write) => sealPlanTo(plan, write));
    expect(readFileSync(file, 'utf8')).toBe(sealPlan(plan));
    expect(readdirSync(dir)).toEqual(['plan.json']);
  });

  it('a failure while writing leaves the older file as it was and no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-stream-'));
    const file = join(dir, 'plan.json');
    writeFileSync(file, 'old');
    expect(() =>
      writeFileStreamed(file, (write) => {
        write('{"partial":');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['plan.json']);
  });
});

describe('report writes its rows in parts, with the same bytes', () => {
  const row = (i: number) => ({ customerId: `c${i}`, companyName: `Co ${i}`, subscriptionId: `s${i}`, offerName: 'CRM Basic', offerId: 'o', family: 'custom', variant: 'custom', priceGroup: 'commercial', seats: i, status: 'active', daysLeft: i });
  const report = { formatVersion: 1, asOf: '2026-12-01T00:00:00Z', customersScanned: 5000, affectedCustomers: 5000, rows: Array.from({ length: 5000 }, (_, i) => row(i)), alreadyMigrated: [], warnings: [], unreadable: [] } as unknown as RetiredReport;

  for (const format of REPORT_FORMATS) {
    it(`${format}: parts of whole lines that add up to the whole`, () => {
      const parts = [...reportChunks(report, format)];
      expect(parts.length).toBeGreaterThan(3);
      for (const p of parts) expect(p.endsWith('\n')).toBe(true);
      expect(parts.join('')).toBe(renderReport(report, format));
    });
  }

  it('json: each row spliced into place is JSON.stringify of the whole', () => {
    expect([...jsonChunks(report)].join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect([...jsonChunks({ a: 1, rows: [] })].join('')).toBe(`${JSON.stringify({ a: 1, rows: [] }, null, 2)}\n`);
    const nested = { a: { b: 1 }, rows: [{ x: [1, { y: 'z' }] }, null], z: 'end' };
    expect([...jsonChunks(nested)].join('')).toBe(`${JSON.stringify(nested, null, 2)}\n`);
  });
});
