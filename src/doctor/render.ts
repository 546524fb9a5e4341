import { inertText } from '../core/inert.js';
import type { BuyingPower, Check, DoctorReport, ModeResult, OperationAccess } from './types.js';

const MARK: Record<Check['status'], string> = { ok: '✓', fail: '✗', skip: '–' };
const BUYS: Record<BuyingPower['canBuy'], string> = { yes: 'YES', no: 'no', unknown: 'unknown' };
const RESULT: Record<ModeResult, string> = {
  works: 'works',
  fails: 'FAILS',
  'not-configured': 'not configured',
  'not-allowed': 'not allowed by Partner Center',
  untested: 'not tested',
};

function checkLines(checks: readonly Check[]): string[] {
  const width = Math.max(0, ...checks.map((c) => c.title.length));
  return checks.map((c) => `  ${MARK[c.status]} ${c.title.padEnd(width)}  ${inertText(c.detail)}`);
}

function operationLine(o: OperationAccess, width: number): string {
  const uses = o.uses ? `uses ${o.uses === 'app' ? 'app-only' : 'App+User'}` : 'NO CREDENTIAL';
  const note = o.write ? ' (judged by the read: doctor never writes)' : '';
  return `  ${o.operation.padEnd(width)}  ${uses.padEnd(13)}  App+User: ${RESULT[o.appUser]}; app-only: ${RESULT[o.app]}${note}`;
}

function buyingLines(list: readonly BuyingPower[]): string[] {
  const width = Math.max(...list.map((b) => b.credential.length));
  return list.map((b) => `  ${b.problem ? MARK.fail : '-'} ${b.credential.padEnd(width)}  ${BUYS[b.canBuy].padEnd(7)}  ${inertText(b.why)}`);
}

/** The doctor's findings as text: configuration, checks, which credential serves which operation, fixes. */
export function renderDoctor(r: DoctorReport): string {
  const width = Math.max(...r.operations.map((o) => o.operation.length));
  const byFix = new Map<string, string[]>();
  for (const c of [...r.config, ...r.checks]) if (c.status === 'fail' && c.fix) byFix.set(c.fix, [...(byFix.get(c.fix) ?? []), c.title]);
  const fixes = [...byFix].map(([fix, titles]) => `  - ${titles.join(', ')}: ${inertText(fix)}`);
  for (const b of r.buying) if (b.problem) fixes.push(`  - ${b.credential}: ${b.problem}; give pull-request jobs the reader credential only (README "Security model")`);
  const lines = [
    'Configuration (environment variables)',
    ...checkLines(r.config),
    '',
    'Sign-in and one read per mode',
    ...(r.checks.length > 0 ? checkLines(r.checks) : ['  – nothing to try until the configuration is fixed']),
    '',
    'Which credential pcsync uses',
    ...r.operations.map((o) => operationLine(o, width)),
    '',
    'Can each credential buy? (create orders, change subscriptions)',
    ...(r.buying.length > 0 ? buyingLines(r.buying) : ['  – no credential configured']),
    '',
    ...(fixes.length > 0 ? ['Fixes', ...fixes, ''] : []),
    r.ok ? 'All good: pcsync can plan and apply with this configuration.' : 'Not ready: fix the above and run pcsync doctor again.',
  ];
  return `${lines.join('\n')}\n`;
}
