import { z } from 'zod';
import type { SignedChainHead } from '../../shared/api/history-channels';
import { canonicalJson } from '../../shared/consent/canonical-json';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { DEVICE_ID_PATTERN } from './device-records';
import type { DeviceRegistry, TrustVerdict } from './device-registry';

/*
 * Signed chain heads (issue 25): each device states, under its own key, "my chain reaches seq N,
 * whose event hashes to H". A device that holds a verified head ahead of the events it has of
 * that chain knows events are missing (withheld by the server, or not arrived yet), where
 * without heads a server dropping a device's newest events would go unnoticed.
 *
 * Carrier: audit-log entries, like the device records. RxDB's free build allows no new
 * collection; the audit log is shared, insert-only and replicated everywhere, so a head once
 * seen can never be edited or rolled back by the server, only not delivered (which a newer head
 * then exposes). A mutable document (one per device) would be smaller, but every mutable shared
 * collection carries per-field author signatures checked against admin roles, which a device's
 * head is not, and a server can offer any older version of it. To keep the entries few, a
 * device publishes a head only over events the server acknowledged, at most once per interval
 * while its chain moves, and once more when sync stops (chain-head-publisher.ts).
 */
export const CHAIN_HEAD_ACTION = 'device.chain_head';

const isoTime = z.string().max(30).refine((t) => !Number.isNaN(Date.parse(t)), 'not a time');

export const signedChainHeadSchema = z.strictObject({
  v: z.literal(1),
  deviceId: z.string().regex(DEVICE_ID_PATTERN),
  seq: z.number().int().min(1).max(1_000_000_000_000),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: isoTime,
  sig: z.string().length(86).regex(/^[A-Za-z0-9_-]+$/),
}) satisfies z.ZodType<SignedChainHead>;

export type UnsignedChainHead = Omit<SignedChainHead, 'sig'>;

// Domain-separated from event hashes, changes and device records: no other signature passes for a head.
export const chainHeadMessage = (head: UnsignedChainHead | SignedChainHead): string => {
  const { v, deviceId, seq, hash, at } = head;
  return `consentdesk/chain-head/v1\n${canonicalJson({ v, deviceId, seq, hash, at })}`;
};

// One id per device and seq: a replayed head is the same record, which insert-only sync never takes twice.
export const chainHeadId = (deviceId: string, seq: number): string => `chain-head:${deviceId}:${seq}`;

export const signChainHead = (content: UnsignedChainHead, sign: (message: string) => string): SignedChainHead => ({
  ...content,
  sig: sign(chainHeadMessage(content)),
});

// The audit-log entry a head travels in; a device files only its own heads.
export const chainHeadEntry = (head: SignedChainHead): AuditLogDoc => ({
  id: chainHeadId(head.deviceId, head.seq),
  action: CHAIN_HEAD_ACTION,
  actorId: 'system',
  actorName: 'Consent Desk',
  details: { head },
  at: head.at,
  deviceId: head.deviceId,
});

export const isChainHeadAction = (action: unknown): boolean => action === CHAIN_HEAD_ACTION;

// The head an audit-log entry carries, or why it carries none (shape, id and filer; not the signature).
export function headOfEntry(entry: { id?: unknown; action?: unknown; deviceId?: unknown; details?: unknown }): { head: SignedChainHead } | { problem: string } {
  if (!isChainHeadAction(entry.action)) return { problem: 'not a chain head' };
  const details = entry.details as { head?: unknown } | undefined;
  const parsed = signedChainHeadSchema.safeParse(details?.head);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: first ? `head.${first.path.join('.')}: ${first.message}` : 'not a chain head' };
  }
  const head = parsed.data;
  if (entry.id !== chainHeadId(head.deviceId, head.seq)) return { problem: `a head of ${head.deviceId} at seq ${head.seq} filed under another id` };
  if (entry.deviceId !== head.deviceId) return { problem: `a head of ${head.deviceId} filed by another device` };
  return { head };
}

export type ChainHeadRefusal = 'unknown_device' | 'device_revoked' | 'bad_signature';

/*
 * A head counts when its device's enrolled key signed it, before any revocation of the device,
 * and it claims no event past the last one a revocation still accepts. An unknown device's head
 * waits for the device's enrolment, as its events do.
 */
export function checkChainHead(head: SignedChainHead, registry: DeviceRegistry): TrustVerdict<ChainHeadRefusal> {
  const standing = registry.device(head.deviceId);
  if (standing?.revoked && head.seq > standing.revoked.upToSeq) {
    return { ok: false, reason: 'device_revoked', detail: `device ${head.deviceId} was revoked after its event ${standing.revoked.upToSeq}` };
  }
  return registry.checkSignedBy(head.deviceId, head.at, chainHeadMessage(head), head.sig);
}

// The newest of each device's heads (by seq), in device order.
export function newestHeads(heads: Iterable<SignedChainHead>): SignedChainHead[] {
  const best = new Map<string, SignedChainHead>();
  for (const head of heads) {
    const held = best.get(head.deviceId);
    if (!held || head.seq > held.seq) best.set(head.deviceId, head);
  }
  return [...best.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}
