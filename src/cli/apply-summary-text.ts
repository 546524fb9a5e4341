import { boundText } from '../partner-center/concurrency.js';
import { inertText as v } from '../core/inert.js';
import { ExitCode } from '../core/errors.js';
import { applyExitCode, type RunReport } from '../apply/run.js';
import { byName, moneyText, needsAttention, runSummary, type CustomerWrites, type RunWrites } from './apply-summary.js';
import type { CallCounts } from '../partner-center/client.js';
import type { ActionReport, CustomerReport } from '../apply/customer.js';
import type { Plan } from '../plan/types.js';

export interface SummaryContext {
  readonly calls: CallCounts;
  /** Stopped on request (Ctrl-C), not by an error. */
  readonly stopped: boolean;
  /** Writes the client sent in this run (0: nothing changed anywhere). */
  readonly writes: number;
}

/**
 * The apply summary an operator reads after any end — finished, Ctrl-C, an error: the totals of what this run
 * wrote (seats bought per offer, money committed, users moved, subscriptions retired) and of customer outcomes;
 * then, by name, the customers that need attention with exactly what was done and what was not; then every other
 * customer in one table row each. Every value is one inert line (names, UPNs and messages come from outside).
 */
export function applySummaryLines(report: RunReport, plan: Plan, ctx: SummaryContext): string[] {
  const { customers, totals } = runSummary(report, plan);
  const out = ['Apply summary', ...totalLines(report, totals, plan.customers.length, ctx)];
  const attention = customers.filter((c) => needsAttention(c.report));
  if (attention.length > 0) {
    out.push('', `  Needs attention (${attention.length}), by name:`);
    for (const c of attention) out.push(...attentionLines(c.report, c.writes, ctx.writes === 0));
  }
  const rest = customers.filter((c) => !needsAttention(c.report));
  if (rest.length > 0) out.push('', `  ${attention.length > 0 ? 'The other customers' : 'Customers'} (${rest.length}), by name:`, ...restTable(rest));
  out.push('', ...closingLines(report, ctx));
  return out;
}

function totalLines(report: RunReport, t: RunWrites, inPlan: number, ctx: SummaryContext): string[] {
  const out: string[] = [];
  if (ctx.writes === 0) out.push('  Nothing was written to Partner Center in this run: every licence and subscription is as it was.');
  const offers = [...t.byOffer].map(([name, n]) => `${n} × ${v(name)}`).join(', ');
  const unknown = t.unknownPrice > 0 ? ` (${t.unknownPrice} purchase(s) with unknown price not in it)` : '';
  out.push(`  Bought: ${t.seats} seat(s) in ${t.purchases} purchase(s)${offers ? ` — ${offers}` : ''}; committed ${moneyText(t.committed)}${unknown}`);
  out.push(`  Moved: ${t.moved} user(s) · retired: ${t.retired} subscription(s)`);
  const counts = Object.entries(report.outcomes).map(([k, n]) => `${n} ${k}`).join(', ');
  out.push(`  Customers: ${counts || 'none to do'} (of ${inPlan} applied in this run) in ${(report.durationMs / 1000).toFixed(1)}s`);
  if (report.bound) out.push(`  Pace: ${boundText(report.bound)}`);
  return out;
}

/** One customer that needs attention: its line, what this run did, each action not done, who holds what. */
function attentionLines(c: CustomerReport, w: CustomerWrites, nothingWritten: boolean): string[] {
  // A blocker's message already names the customer ("Contoso Ltd (id): …"): not twice.
  const named = `${c.displayName} (${c.customerId}): `;
  const message = c.message.split('; ').map((m) => (m.startsWith(named) ? m.slice(named.length) : m)).join('; ');
  const out = [`  ${c.outcome.padEnd(15)} ${v(c.displayName)} (${v(c.customerId)}): ${v(message)}`];
  const done = [...w.bought.map((b) => `ordered ${b}`), ...(w.moved > 0 ? [`moved ${w.moved} of ${c.moves.planned} user(s)`] : []), ...w.retired, ...(w.scheduled ?? [])];
  out.push(`      done: ${done.length > 0 ? done.join('; ') : 'nothing was sent to this customer'}${w.committed.size > 0 ? ` — committed ${moneyText(w.committed)}` : ''}`);
  const undoneMoves = c.actions.filter((a) => a.kind === 'reassign' && a.outcome === 'not-started').length;
  out.push(...notDoneLines(c.actions.filter((x) => !(x.outcome === 'applied' || x.outcome === 'already-done') && !(x.kind === 'reassign' && x.outcome === 'not-started'))));
  if (undoneMoves > 0) out.push(`      ${'not-started'.padEnd(15)} ${undoneMoves} of ${c.moves.planned} licence move(s)`);
  if (!nothingWritten && c.users.some((u) => u.where !== 'moved')) out.push(...whoHoldsWhat(c));
  return out;
}

/**
 * The actions not done, one line each — except licence moves refused with the same words but for the user: those
 * are said once, with how many users and who (the same 403 paragraph per user filled the summary).
 */
function notDoneLines(actions: readonly ActionReport[]): string[] {
  const groups = new Map<string, { outcome: string; upns: string[]; ids: string[] }>();
  const order: string[] = [];
  for (const a of actions) {
    const upn = a.kind === 'reassign' ? a.id.slice(a.id.lastIndexOf('/') + 1) : '';
    const text = upn ? a.message.split(upn).join('<user>').replace(/\/users\/[0-9a-f-]{36}\//gi, '/users/<user id>/') : `${a.id}\u0000${a.message}`;
    const key = `${a.outcome}\u0000${text}`;
    const g = groups.get(key) ?? { outcome: a.outcome, upns: [], ids: [] };
    if (!groups.has(key)) order.push(key);
    g.upns.push(upn);
    g.ids.push(a.id);
    groups.set(key, g);
  }
  return order.map((key) => {
    const g = groups.get(key)!;
    const text = key.slice(key.indexOf('\u0000') + 1);
    if (g.ids.length === 1) {
      const a = actions.find((x) => x.id === g.ids[0])!;
      return `      ${a.outcome.padEnd(15)} ${v(a.id)}: ${v(a.message)}`;
    }
    return `      ${g.outcome.padEnd(15)} ${g.ids.length} licence move(s) (${g.upns.map((u) => v(u)).join(', ')}), each: ${v(text)}`;
  });
}

/** Per user, which licence they hold now; one line when none of them moved (they all hold what they held). */
function whoHoldsWhat(c: CustomerReport): string[] {
  const first = c.users[0]!;
  if (c.users.every((u) => u.where === first.where && u.holds === first.holds && u.where !== 'moved')) {
    return [`      Who holds what now: all ${c.users.length} user(s) ${first.where} (${v(first.holds)}): ${c.users.map((u) => v(u.upn)).join(', ')}`];
  }
  return ['      Who holds what now:', ...c.users.map((u) => `        ${u.where.padEnd(9)} ${v(u.upn)}: ${v(u.holds)}`)];
}

/** Every other customer, one padded row each: outcome, name, id, seats bought, users moved, retired, committed, what was bought. */
function restTable(rows: ReadonlyArray<{ report: CustomerReport; writes: CustomerWrites }>): string[] {
  const names = rows.map((r) => clipName(v(r.report.displayName)));
  const width = Math.max(8, ...names.map((n) => n.length));
  const head = `    ${'outcome'.padEnd(15)} ${'customer'.padEnd(width)} ${'id'.padEnd(8)} ${'seats'.padStart(5)} ${'moved'.padStart(5)} ${'retired'.padStart(7)}  ${'committed'.padEnd(14)} bought`;
  return [
    head,
    ...rows.map(({ report: r, writes: w }, i) =>
      `    ${r.outcome.padEnd(15)} ${names[i]!.padEnd(width)} ${v(r.customerId).slice(0, 8).padEnd(8)} ${String(w.seats).padStart(5)} ${String(w.moved).padStart(5)} ${String(w.retired.length).padStart(7)}  ${moneyText(w.committed).padEnd(14)} ${w.bought.join('; ') || '—'}`,
    ),
  ];
}

function clipName(s: string): string {
  return s.length <= 40 ? s : `${s.slice(0, 39)}…`;
}

function closingLines(report: RunReport, ctx: SummaryContext): string[] {
  const out: string[] = [];
  const stale = report.customers.filter((c) => c.outcome === 'skipped-stale');
  if (stale.length > 0) {
    const who = [...stale].sort(byName).map((c) => `${v(c.displayName)} (${v(c.customerId)})`).join(', ');
    out.push(`  Refused as stale, nothing sent to them: ${who}. pcsync plans something else for them today than the plan file holds (each line above says what differs); run pcsync plan again and review the new plan.`);
  }
  const total = Object.values(ctx.calls).reduce((a, b) => a + b, 0);
  const byKind = Object.entries(ctx.calls).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ');
  out.push(`  Partner Center calls: ${total}${byKind ? ` (${byKind})` : ''}`);
  if (ctx.stopped) out.push('  Stopped on request; run apply again to continue where it left off.');
  const exit = applyExitCode(report);
  if (exit !== ExitCode.ok) out.push(`  Some customers were not fully applied (exit ${ctx.stopped ? '130, stopped on request' : exit}); see above.`);
  return out;
}

/** The same totals and per-customer writes for `--json`: `totals` and `customers` (by name) of the summary line. */
export function applySummaryJson(report: RunReport, plan: Plan): Record<string, unknown> {
  const { customers, totals: t } = runSummary(report, plan);
  const money = (m: ReadonlyMap<string, number>) => [...m].map(([currency, amount]) => ({ currency, amount }));
  return {
    ...(report.bound && { pace: { bound: report.bound.bound, shares: report.bound.shares, customersAtOnce: report.bound.peak, cap: report.bound.cap, text: boundText(report.bound) } }),
    totals: { purchases: t.purchases, seatsBought: t.seats, committed: money(t.committed), unknownPricePurchases: t.unknownPrice, usersMoved: t.moved, retired: t.retired },
    customers: customers.map(({ report: r, writes: w }) => ({ customerId: r.customerId, displayName: r.displayName, outcome: r.outcome, bought: w.bought, seatsBought: w.seats, committed: money(w.committed), usersMoved: w.moved, retired: w.retired, ...(w.scheduled && { scheduledAtRenewal: w.scheduled }) })),
  };
}
