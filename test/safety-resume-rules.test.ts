import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldJournal, readPriorRuns } from '../src/apply/prior.js';
import { resumeApproved } from '../src/apply/resume.js';
import type { JournalRecord } from '../src/apply/journal.js';
import type { Plan } from '../src/plan/types.js';
import { CONTOSO, SKU, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { customerPlan, editLive, plan } from './fixtures/plan/edit.js';
import { liveAfter } from './fixtures/plan/simulate.js';
import { liveUser } from './fixtures/plan/live.js';

const P = 'sha256:plan';
const at = '2030-01-01T00:00:00.000Z';
const start = (run: string, actionId: string, tag?: string): JournalRecord => ({ type: 'action-start', run, at, planHash: P, customerId: 'c1', actionId, kind: tag ? 'purchase' : 'reassign', ...(tag ? { tag } : {}) });
const end = (run: string, actionId: string, outcome: 'applied' | 'failed-transient'): JournalRecord => ({ type: 'action-end', run, at, planHash: P, customerId: 'c1', actionId, kind: 'reassign', outcome, message: '' });

describe('what earlier journals say (foldJournal)', () => {
  it('a killed run: its purchase tag is remembered, the run is unfinished, the customer was touched by that plan', () => {
    const prior = foldJournal([start('r1', 'c1/purchase/new', 'pcsync new 1234abcd')]);
    expect(prior.purchaseTags('c1/purchase/new')).toEqual(['pcsync new 1234abcd']);
    expect(prior.unfinished).toEqual({ run: 'r1', started: 1, ended: 0 });
    expect(prior.touched(P, 'c1')).toBe(true);
    expect(prior.touched('sha256:other-plan', 'c1')).toBe(false);
  });

  it('only successful ends count as finished; a later successful customer end forgets the purchase tags; run-end closes the run', () => {
    const prior = foldJournal([
      start('r1', 'c1/purchase/new', 'tag-1'),
      start('r1', 'c1/reassign/a'),
      end('r1', 'c1/reassign/a', 'failed-transient'),
      start('r2', 'c1/purchase/new', 'tag-2'),
      start('r2', 'c1/reassign/a'),
      end('r2', 'c1/reassign/a', 'applied'),
    ]);
    expect(prior.purchaseTags('c1/purchase/new')).toEqual(['tag-1', 'tag-2']);
    // the same per customer, for its re-plan (a pending order under one of them is not someone else's)
    expect(prior.purchaseTagsAt?.('C1')).toEqual({ 'c1/purchase/new': ['tag-1', 'tag-2'] });
    expect(prior.purchaseTagsAt?.('c2')).toEqual({});
    expect(prior.finishedBy(P, 'c1/reassign/a')).toBe('r2');
    expect(prior.unfinished).toEqual({ run: 'r2', started: 2, ended: 1 });

    const after = foldJournal([
      start('r1', 'c1/purchase/new', 'tag-1'),
      { type: 'customer-end', run: 'r2', at, planHash: P, customerId: 'c1', outcome: 'applied' },
      { type: 'run-end', run: 'r2', at, outcomes: { applied: 1 } },
    ]);
    expect(after.purchaseTags('c1/purchase/new')).toEqual([]);
    expect(after.purchaseTagsAt?.('c1')).toEqual({});
    expect(after.unfinished).toBeUndefined();
  });
});

describe('journal lines without the fields their type needs (readPriorRuns)', () => {
  it('are skipped like a torn line: one bad line does not stop the plan or apply of every customer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsync-journal-'));
    const good = JSON.stringify(start('r1', 'c1/purchase/new', 'pcsync new 1234abcd'));
    const bad = [
      // no run first: the fold groups records by run
      { type: 'action-start', customerId: 'c1', actionId: 'c1/purchase/new', tag: 'pcsync new 99999999' },
      { type: 'run-start' },
      { type: 'action-start', run: 'r0', tag: 'pcsync sales-pro 00000000' },
      { type: 'action-end', run: 'r0', customerId: 'c1', actionId: 'c1/reassign/a', kind: 'reassign', outcome: 'failed-terminal', licenceWritesRefused: true },
      { type: 'action-start', run: 'r0', customerId: null, actionId: 'x/purchase/y', tag: 'pcsync y 00000000' },
      { type: 'action-end', run: 'r0', actionId: 'c1/reassign/a', kind: 'reassign', outcome: 'applied' },
      { type: 'customer-end', run: 'r0', outcome: 'applied' },
      { type: 'action-start', run: 'r0', customerId: 'c1', actionId: 'c1/purchase/new', tag: 7 },
    ].map((r) => JSON.stringify(r));
    writeFileSync(join(dir, 'a.jsonl'), [...bad, good, ''].join('\n'));
    const prior = readPriorRuns(dir);
    expect(prior.purchaseTagsAt?.('c1')).toEqual({ 'c1/purchase/new': ['pcsync new 1234abcd'] });
    expect(prior.purchaseTags('x/purchase/y')).toEqual([]);
    expect(prior.licenceRefusal?.('c1')).toBeUndefined();
    expect(prior.unfinished?.run).toBe('r1');
  });

  it('a successful customer end forgets its purchase tags whatever the case of the customer id', () => {
    const prior = foldJournal([start('r1', 'c1/purchase/new', 'tag-1'), { type: 'customer-end', run: 'r2', at, planHash: P, customerId: 'C1', outcome: 'applied' }]);
    expect(prior.purchaseTagsAt?.('c1')).toEqual({});
  });
});

describe('resuming an approved plan at a customer it already changed (resumeApproved)', () => {
  const desired = demoDesired();
  const live = demoLive();
  const approved = plan(desired, live);
  const contoso = customerPlan(approved, CONTOSO);
  /** Live state after the purchase, the wait and the first two licence moves at Contoso. */
  const partly = (): Plan => ({ ...approved, customers: approved.customers.map((c) => (c.customerId === CONTOSO ? { ...c, actions: c.actions.slice(0, 4) } : { ...c, actions: [] })) });

  it('goes on with exactly what is left; what live state no longer needs is already done (by the run the journal names)', () => {
    const fresh = customerPlan(plan(desired, liveAfter(partly(), live, desired)), CONTOSO);
    const resumed = resumeApproved(contoso, fresh, (id) => (id.includes('/reassign/') ? 'run-7' : undefined));
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    expect(resumed.todo.map((a) => a.id)).toEqual(contoso.actions.slice(4).map((a) => a.id));
    expect(resumed.todo).toEqual(contoso.actions.slice(4));
    expect(resumed.done.map((d) => [d.id.split('/').slice(1).join('/'), d.outcome, d.message])).toEqual([
      ['purchase/sales-pro', 'already-done', 'live state already matches'],
      ['await-provisioning/sales-pro', 'already-done', 'live state already matches'],
      ['reassign/alice@contoso.onmicrosoft.com', 'already-done', 'done by run run-7 (journal); live state agrees'],
      ['reassign/bob@contoso.onmicrosoft.com', 'already-done', 'done by run run-7 (journal); live state agrees'],
    ]);
  });

  it('refuses as stale when live state now needs something the approved plan does not contain', () => {
    const after = editLive(liveAfter(partly(), live, desired), CONTOSO, (c) => ({ ...c, users: [...c.users, liveUser('zoe@contoso.onmicrosoft.com', [SKU.oldSales])], skus: c.skus.map((s) => (s.skuId === SKU.oldSales ? { ...s, consumedUnits: s.consumedUnits + 1 } : s)) }));
    const resumed = resumeApproved(contoso, customerPlan(plan(desired, after), CONTOSO), () => undefined);
    expect(resumed).toEqual({ ok: false, message: expect.stringMatching(/now needs 8f2b1c3d-.*\/(reassign\/zoe@contoso\.onmicrosoft\.com|purchase\/sales-pro) (which the plan does not contain|with other parameters \(.+ is .+ in the plan, .+ now\)); nothing was sent — run plan again/) });
  });

  it('refuses as stale when live state now blocks the customer', () => {
    const blocked = { ...contoso, blockers: [{ code: 'customer-not-found', message: 'customer gone' }] };
    expect(resumeApproved(contoso, blocked, () => undefined)).toEqual({ ok: false, message: expect.stringContaining('live state now blocks this customer (customer gone)') });
  });
});
