import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';

/** One slice of the fleet for a CI job matrix: shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n` (1 ≤ i ≤ n ≤ 1000). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) {
    throw new UserError('cli.shard', `--shard "${text}": expected i/n with 1 ≤ i ≤ n ≤ 1000, e.g. --shard 2/4 for the second of four jobs.`);
  }
  return { index, count };
}

/**
 * The shard a customer belongs to, from a hash of its id: every customer is in exactly one shard, the
 * split does not depend on which other customers exist (adding a customer never moves another), and every
 * job of the matrix computes the same answer.
 */
export function shardOf(customerId: string, count: number): number {
  const h = createHash('sha256').update(customerId.toLowerCase()).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(customerId: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(customerId, shard.count) === shard.index;
}

/**
 * The customers of `shard` among those selected. `--customer` together with a shard that holds none of the named
 * customers selects nothing, which is a mistake (not "no changes"): a UserError saying which shard each is in.
 * `--shard` alone may be empty (a CI matrix can have more shards than customers).
 */
export function inSelectedShard<C extends { readonly id: string }>(selected: readonly C[], shard: Shard | undefined, named: readonly string[] | undefined): C[] {
  const kept = selected.filter((c) => inShard(c.id, shard));
  if (shard && kept.length === 0 && named && named.length > 0) {
    const where = selected.map((c) => `${c.id} is in shard ${shardOf(c.id, shard.count)}/${shard.count}`).join(', ');
    throw new UserError(
      'cli.empty-selection',
      `--customer ${named.join(' ')} with --shard ${shard.index}/${shard.count}: selects no customer (${where}); nothing was sent. Drop --shard, or use the shard that holds them.`,
    );
  }
  return kept;
}
