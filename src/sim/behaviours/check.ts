import { UserError } from '../../core/errors.js';
import type { BehaviourOptions, FaultRule } from './types.js';

/** Refuses nonsensical behaviour options before the simulator listens, naming the option. */
export function checkBehaviours(o: BehaviourOptions): void {
  const problems: string[] = [];
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) problems.push(`${name} must be a number > 0 (got ${v})`);
  };
  const rule = (name: string, r: FaultRule | undefined) => {
    if (!r) return;
    if (r.rate !== undefined && !(r.rate >= 0 && r.rate <= 1)) problems.push(`${name}.rate must be between 0 and 1 (got ${r.rate})`);
    if (r.times !== undefined && !(Number.isInteger(r.times) && r.times >= 0)) problems.push(`${name}.times must be a whole number ≥ 0 (got ${r.times})`);
  };
  if (o.throttle) {
    positive('throttle.perMinute', o.throttle.perMinute);
    positive('throttle.customerPerMinute', o.throttle.customerPerMinute);
    positive('throttle.burst', o.throttle.burst);
    positive('throttle.customerBurst', o.throttle.customerBurst);
    positive('throttle.timeScale', o.throttle.timeScale);
    positive('throttle.otherPerMinute', o.throttle.otherPerMinute);
    positive('throttle.otherBurst', o.throttle.otherBurst);
    const classes = o.throttle.classes;
    if (classes !== undefined && classes !== 'documented' && classes !== 'all') problems.push(`throttle.classes must be 'documented' or 'all' (got ${String(classes)})`);
  }
  rule('serverErrors', o.serverErrors);
  rule('dropConnections', o.dropConnections);
  rule('slowReplies', o.slowReplies);
  if (o.slowReplies && !(Number.isFinite(o.slowReplies.ms) && o.slowReplies.ms >= 0)) problems.push(`slowReplies.ms must be ≥ 0 (got ${o.slowReplies.ms})`);
  if (problems.length > 0) throw new UserError('sim.options', `Simulator options are not valid:\n  - ${problems.join('\n  - ')}`);
}
