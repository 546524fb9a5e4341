import type { DesiredCustomer, DesiredSubscription } from '../desired/types.js';
import type { ImportProposal } from './propose.js';

/**
 * The desired customer the proposal stands for, as the loader would produce it from the written file. The live
 * reader takes it to read exactly what a plan of that file reads (the holders of each retired licence).
 */
export function desiredOf(p: ImportProposal, file: string): DesiredCustomer {
  const source = { file, line: 1, column: 1 };
  const subscriptions: DesiredSubscription[] = [
    ...p.replacements.map((r) => ({ handle: r.handle, offer: r.name, quantity: 'auto' as const, status: 'active' as const, prune: false, source })),
    ...p.retirements.map((r) => ({
      handle: r.handle,
      match: { offerName: r.sub.offerName, ...(r.matchById ? { subscriptionId: r.sub.id } : {}) },
      status: 'suspended' as const,
      prune: false,
      source,
    })),
  ];
  return {
    file,
    id: p.customerId,
    domain: p.domain,
    subscriptions,
    licenses: p.retirements.map((r) => ({ subscription: r.replacement, from: r.handle, source })),
    contentHash: '',
    source,
  };
}
