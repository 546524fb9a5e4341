import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPlanFile, sealPlanJson, verifyPlan, type PlanFileExpectations } from '../src/apply/plan-file.js';
import { UserError } from '../src/core/errors.js';
import { render } from '../src/render/index.js';
import { partner } from './fixtures/plan/desired.js';
import { CTX, FABRIKAM_HOLDERS, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';

const p = plan(demoDesired(), demoLive());
const sealed = sealPlanJson(render(p, 'json'));
const blocked = plan(demoDesired(partner(), FABRIKAM_HOLDERS.slice(0, 2)), demoLive());
const sealedBlocked = sealPlanJson(render(blocked, 'json'));
const expect0: PlanFileExpectations = { desiredHash: p.desiredHash, desiredDir: 'desired-state', pcsyncVersion: CTX.pcsyncVersion };

/** The sealed file with `edit` applied to its parsed JSON (integrity kept as it was, unless `reseal`). */
function edited(edit: (data: any) => void, reseal = false, from = sealed): string {
  const data = JSON.parse(from);
  edit(data);
  return reseal ? sealPlanJson(JSON.stringify(data)) : JSON.stringify(data);
}

/** Same content, top-level keys in reverse order, no indentation. */
function reordered(): string {
  const data = JSON.parse(sealed);
  return JSON.stringify(Object.fromEntries(Object.keys(data).reverse().map((k) => [k, data[k]])));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('saved plan file', () => {
  it('is the plan with its actions packed plus an integrity hash, and reads back as exactly the plan', () => {
    const data = JSON.parse(sealed);
    expect(data.integrity).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(data.packing).toBe('delta-v1');
    // what apply needs only: no JSON Patch copy of live values, repeated action fields stored once
    expect(data.customers.every((c: Record<string, unknown>) => !('patch' in c))).toBe(true);
    expect(sealed.length).toBeLessThan(render(p, 'json').length / 2);
    const back = verifyPlan(sealed, 'plan.json', expect0);
    expect(back).toEqual(JSON.parse(JSON.stringify(p)));
    expect(back.actionsHash).toBe(p.actionsHash);
    expect(back.customers.map((c) => c.actions)).toEqual(p.customers.map((c) => c.actions));
  });

  it('sealing again gives the same bytes', () => {
    expect(sealPlanJson(sealed)).toBe(sealed);
  });

  it.each([
    ['as saved', sealed, {}, 'accepted'],
    ['re-indented, keys reordered', reordered(), {}, 'accepted'],
    ['with a UTF-8 BOM', `\uFEFF${sealed}`, {}, 'accepted'],
    ['the approved hash', sealed, { approvedHash: p.actionsHash }, 'accepted'],
    ['not JSON', '{"formatVersion": 1,', {}, 'plan.unreadable'],
    ['a JSON array', '[]', {}, 'plan.unreadable'],
    ['another format version', edited((d) => (d.formatVersion = 4), true), {}, 'plan.version'],
    ['a version-1 plan made by an older pcsync (retirements all named suspend)', readFileSync(new URL('./fixtures/plan/format-v1.plan.json', import.meta.url), 'utf8'), {}, 'plan.version'],
    ['no integrity hash', edited((d) => delete d.integrity), {}, 'plan.unsealed'],
    ['one action edited', edited((d) => (d.customers[1].actions[0].quantity = 50)), {}, 'plan.tampered'],
    ['an action removed', edited((d) => d.customers[0].actions.pop()), {}, 'plan.tampered'],
    ['a fingerprint edited', edited((d) => (d.customers[0].fingerprint = 'fp-other')), {}, 'plan.tampered'],
    ['a blocked plan as saved', sealedBlocked, { desiredHash: blocked.desiredHash }, 'accepted'],
    ['a blocker removed', edited((d) => d.customers[0].blockers.pop(), false, sealedBlocked), { desiredHash: blocked.desiredHash }, 'plan.tampered'],
    ['the actions hash edited', edited((d) => (d.actionsHash = 'sha256:0')), {}, 'plan.tampered'],
    ['a field added', edited((d) => (d.note = 'ok')), {}, 'plan.tampered'],
    ['made by another pcsync', sealed, { pcsyncVersion: '9.9.9' }, 'plan.other-version'],
    ['made from other desired state', sealed, { desiredHash: 'sha256:other' }, 'plan.other-desired-state'],
    ['not the approved actions', sealed, { approvedHash: 'sha256:approved' }, 'plan.not-approved'],
  ] as const)('%s', (_, text, overrides, code) => {
    expect(codeOf(() => verifyPlan(text, 'plan.json', { ...expect0, ...overrides }))).toBe(code);
  });

  it('names the file in every refusal', () => {
    expect(() => verifyPlan(edited((d) => (d.customers[1].actions[0].quantity = 50)), 'out/plan.json', expect0)).toThrow(/^out\/plan\.json: /);
  });

  it('a missing file is a user error naming it', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'pcsync-plan-file-')), 'nope.json');
    expect(codeOf(() => readPlanFile(missing, 'nope.json', expect0))).toBe('plan.unreadable');
    expect(() => readPlanFile(missing, 'nope.json', expect0)).toThrow('nope.json: file not found.');
  });
});
