import { checkChainHead, headOfEntry, isChainHeadAction } from '../device/chain-heads';
import type { DeviceRegistry } from '../device/device-registry';
import type { ArrivalVerdict } from './arrival-checks';

export const isChainHeadDoc = (collection: string, doc: Record<string, unknown>): boolean => collection === 'audit_log' && isChainHeadAction(doc.action);

// A signed chain head that arrives (device/chain-heads.ts): its shape, the id it is filed under,
// and its device's signature. A forged or unsigned head is kept aside like any bad document; one
// of a device not enrolled yet waits for the enrolment.
export function chainHeadVerdict(doc: Record<string, unknown>, registry: DeviceRegistry): ArrivalVerdict {
  const found = headOfEntry(doc);
  if ('problem' in found) return { ok: false, reason: 'malformed', detail: found.problem };
  const verdict = checkChainHead(found.head, registry);
  return verdict.ok ? { ok: true } : verdict;
}
