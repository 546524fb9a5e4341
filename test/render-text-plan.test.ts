import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { partner } from './fixtures/plan/desired.js';
import { CONTOSO, CONTOSO_HOLDERS, FABRIKAM, FABRIKAM_HOLDERS, NAME, demoDesired, demoLive } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';
import { liveAfter } from './fixtures/plan/simulate.js';
import { pricedFleetPlan } from './helpers/fleet-plan.js';

const ESC = '\u001b[';
const jun = FABRIKAM_HOLDERS[2]!;
const migrating = plan(demoDesired(), demoLive());
const blocked = plan(demoDesired(partner(), FABRIKAM_HOLDERS.slice(0, 2)), demoLive());

describe('text plan', () => {
  it('opens with the totals', () => {
    const text = render(migrating, 'text');
    const [title, totals] = text.split('\n');
    expect(title).toBe('pcsync plan: 2 customer(s), 2 to change, 0 blocked');
    expect(totals).toContain('seats to buy: 8');
    expect(totals).toContain('users to move: 8');
    expect(totals).toContain('subscriptions to retire: 2');
    expect(totals).toContain('blockers: 0');
  });

  it('repeats the totals, the money and the actions hash at the end of a fleet plan, where the top has scrolled away (issue 23)', () => {
    const fleet = pricedFleetPlan(50);
    const lines = render(fleet, 'text').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(500);
    const [title, totals] = lines;
    const end = lines.slice(-6).join('\n');
    expect(end).toContain(title);
    expect(end).toContain(totals);
    expect(end).toContain(`committed USD ${fleet.cost!.totals[0]!.committed.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    expect(end).toContain(fleet.actionsHash);
  });

  it('shows each customer\'s actions in run order with symbols, reasons and irreversible marks', () => {
    const text = render(migrating, 'text');
    const contoso = text.slice(text.indexOf(`Contoso Ltd (${CONTOSO})`));
    const order = ['+ purchase', '… await', ...CONTOSO_HOLDERS.map((u) => `~ reassign  ${u}`), '! suspend'].map((s) => contoso.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(contoso).toContain(`"${NAME.salesPro}" (sales-pro): new subscription, 5 seat(s)  [irreversible]`);
    expect(contoso).toMatch(/! suspend .*\[irreversible\]/);
    // What irreversible means is said once, in the summary.
    expect(text.match(/de-provisioned 120 days later/g)).toHaveLength(1);
    expect(contoso).toContain(`replaces retired "${NAME.retiredSales}"`);
  });

  it('puts blockers first, naming the user and the customer', () => {
    const text = render(blocked, 'text');
    const blockedAt = text.indexOf('BLOCKED');
    expect(blockedAt).toBeGreaterThan(0);
    expect(blockedAt).toBeLessThan(text.indexOf(`Contoso Ltd (${CONTOSO})`));
    const section = text.slice(blockedAt, text.indexOf(`Contoso Ltd (${CONTOSO})`));
    expect(section).toContain('holder-not-in-desired-state');
    expect(section).toContain(jun);
    expect(section).toContain(`Fabrikam Government (${FABRIKAM})`);
    expect(section).toContain('at customers/fabrikam-gov.yaml:10:3');
    expect(section).not.toContain('~ reassign');
  });

  it('lists customers already in the desired state', () => {
    const desired = demoDesired();
    const done = plan(desired, liveAfter(migrating, demoLive(), desired));
    expect(render(done, 'text')).toContain(`No changes:\n  Contoso Ltd (${CONTOSO})\n  Fabrikam Government (${FABRIKAM})`); // by name, as the markdown
  });

  it('has no colour unless asked', () => {
    expect(render(blocked, 'text')).not.toContain(ESC);
    expect(render(blocked, 'text', { color: false })).not.toContain(ESC);
    const coloured = render(blocked, 'text', { color: true });
    expect(coloured).toContain(ESC);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(render(blocked, 'text'));
  });

  it('hideUsers shows counts instead of user names, everywhere', () => {
    const text = render(blocked, 'text', { hideUsers: true });
    for (const upn of [...CONTOSO_HOLDERS, ...FABRIKAM_HOLDERS]) expect(text).not.toContain(upn);
    expect(text).toContain(`~ reassign  5 user(s): assign "${NAME.salesPro}", remove "${NAME.retiredSales}"`);
    expect(text).toContain('holder-not-in-desired-state: [user]');
  });
});

describe('every fact the text shows is in the JSON', () => {
  it.each([
    ['migrating', migrating],
    ['blocked', blocked],
  ])('%s plan', (_, p) => {
    const text = render(p, 'text');
    const json = render(p, 'json');
    const upns = text.match(/[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+/g) ?? [];
    const quoted = [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const codes = [...text.matchAll(/(?:blocker|warning) ([a-z-]+):/g)].map((m) => m[1]!);
    const seats = [...text.matchAll(/new subscription, (\d+) seat/g)].map((m) => Number(m[1]));
    const ids = text.match(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/gi) ?? [];
    expect(upns.length + quoted.length + seats.length).toBeGreaterThan(5);
    for (const fact of [...upns, ...ids]) expect(json, fact).toContain(fact);
    for (const name of quoted) expect(json, name).toContain(JSON.stringify(name).slice(1, -1));
    for (const code of codes) expect(json, code).toContain(`"code": "${code}"`);
    for (const n of seats) expect(json).toContain(`"quantity": ${n}`);
  });
});
