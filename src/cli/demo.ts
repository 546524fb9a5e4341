import { fileURLToPath } from 'node:url';
import { dirname, relative } from 'node:path';
import { startSim } from '../sim/index.js';
import { ordersPerCustomer, suspendsWithConsumedUnits, usersEverUnlicensed, writeRequests } from '../sim/invariants.js';
import { runCli } from './program.js';
import { processIo, type CliIo } from './io.js';

/**
 * `npm run demo`: the main job end to end against the embedded simulator — validate, plan, apply, plan again —
 * then checks the simulator's audit log for the promises pcsync makes and says what happened.
 */
async function demo(): Promise<number> {
  const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  const sim = await startSim({ scenario: 'demo' });
  const base = processIo();
  const io: CliIo = { ...base, cwd: root, isTty: false, env: { ...base.env, PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'demo-token' } };
  const say = (t: string) => base.stdout(`${t}\n`);
  const dir = relative(root, `${root}/desired-state`) || 'desired-state';
  try {
    say(`pcsync demo: migrate the demo customers off retired Dynamics 365 CRM Basic (Qualified Offer) subscriptions`);
    say(`Simulated Partner Center at ${sim.url}, desired state in ${dir}/\n`);
    const steps: [string, string[], number[]][] = [
      ['1/4 pcsync validate', ['validate', dir], [0]],
      ['2/4 pcsync plan', ['plan', '--dir', dir], [2]],
      ['3/4 pcsync apply --auto-approve', ['apply', '--auto-approve', '--dir', dir], [0]],
      ['4/4 pcsync plan (again: nothing left to do)', ['plan', '--dir', dir], [0]],
    ];
    let planWrites = 0;
    for (const [title, args, expected] of steps) {
      say(`━━ ${title} ━━`);
      const before = writeRequests(sim.audit.entries).length;
      const code = await runCli(args, io);
      if (args[0] === 'plan') planWrites += writeRequests(sim.audit.entries).length - before;
      say(`(exit ${code})\n`);
      if (!expected.includes(code)) {
        say(`Demo stopped: "${args.join(' ')}" exited ${code}, expected ${expected.join(' or ')}.`);
        return 1;
      }
    }
    return conclude(sim.audit.entries, planWrites, say);
  } finally {
    await sim.close();
  }
}

function conclude(entries: Parameters<typeof writeRequests>[0], planWrites: number, say: (t: string) => void): number {
  const orders = ordersPerCustomer(entries);
  const moved = entries.filter((e) => e.type === 'licenses-changed').length;
  const suspends = entries.filter((e) => e.type === 'subscription-changed' && e.field === 'status' && e.after === 'suspended').length;
  const unlicensed = usersEverUnlicensed(entries);
  const badSuspends = suspendsWithConsumedUnits(entries);
  const maxOrders = Math.max(0, ...Object.values(orders));
  say('What happened (checked in the simulator audit log):');
  say(`  - ${Object.keys(orders).length} customer(s) bought a replacement, at most ${maxOrders} order per customer`);
  say(`  - ${moved} user licence(s) moved, each in one call that added the new licence and removed the old one`);
  say(`  - ${suspends} old subscription(s) suspended, ${badSuspends.length} while anyone still held its licence`);
  say(`  - users ever left without a licence: ${unlicensed.length}; write requests during plan: ${planWrites}`);
  const ok = maxOrders <= 1 && unlicensed.length === 0 && badSuspends.length === 0 && planWrites === 0 && suspends > 0;
  say(ok ? 'Demo passed: every customer migrated, nothing bought twice, nobody lost access.' : 'Demo FAILED: an invariant above does not hold.');
  return ok ? 0 : 1;
}

process.exitCode = await demo();
