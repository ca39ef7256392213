import type { ConsentEvent } from '../../shared/domain';
import { hashMatches } from '../consent/event-hash';
import type { AppDatabase } from '../store/database';
import { insertDocuments } from '../store/insert-documents';
import { withoutStorageFields } from '../store/plain-documents';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';

/*
 * Two devices that record the same fact offline give it the same deterministic event id
 * (an inbound message, a review decision), each sealed into its own hash chain. The server
 * keeps the copy pushed first; the other device keeps its own copy (its chain covers it),
 * so each side lacks the other's copy and would see a hole in that device's chain: "events
 * were removed", in a tool whose point is proving that nothing was. So the device that meets
 * the conflict files both copies in the audit log (insert-only, synced everywhere), and the
 * chain check puts a filed copy back into its device's chain when it proves itself:
 *  - its content still matches its hash (the chain links around it then verify it too),
 *  - the ledger holds the same id as another device's copy of the SAME fact (contact,
 *    type, status, time), so putting it back can never add or change a consent,
 *  - and nothing of the ledger already sits at that device and seq.
 * A forged entry can therefore at most restore a duplicate of a fact the ledger still has.
 */
export const KEPT_LINK_ACTION = 'ledger.link_kept';

const linkId = (event: ConsentEvent) => `link:${event.deviceId}:${event.seq}:${event.id}`;
const sameFact = (a: ConsentEvent, b: ConsentEvent) =>
  a.contactId === b.contactId && a.typeId === b.typeId && a.status === b.status && a.occurredAt === b.occurredAt;


// Both copies of one id, filed once each (ids are deterministic; a repeated conflict adds nothing).
export async function fileKeptLinks(db: AppDatabase, deviceId: string, at: string, copies: readonly ConsentEvent[]): Promise<void> {
  // The events' own fields: replication hands over documents with RxDB's bookkeeping.
  const entries: AuditLogDoc[] = copies.map(withoutStorageFields).map((event) => ({
    id: linkId(event),
    action: KEPT_LINK_ACTION,
    actorId: 'system',
    actorName: 'Consent Desk',
    // The whole event, unbounded unlike other audit details: a cut copy could not be checked.
    details: { event },
    at,
    deviceId,
  }));
  const existing = await db.audit_log.storageInstance.findDocumentsById(entries.map((e) => e.id), true);
  const known = new Set(existing.map((d) => d.id));
  const fresh = entries.filter((e) => !known.has(e.id));
  if (fresh.length > 0) await insertDocuments(db.audit_log, fresh);
}

// The filed copies of one device's chain that prove themselves (see above), in seq order.
export async function provenKeptLinks(db: AppDatabase, deviceId: string): Promise<ConsentEvent[]> {
  const entries = await db.audit_log.find({ selector: { action: KEPT_LINK_ACTION } }).exec();
  const candidates = entries
    .map((d) => (d.details as { event?: ConsentEvent }).event)
    .filter((e): e is ConsentEvent => e !== undefined && e.deviceId === deviceId);
  if (candidates.length === 0) return [];
  const inLedger = await db.consent_events.storageInstance.findDocumentsById([...new Set(candidates.map((e) => e.id))], false);
  const byId = new Map(inLedger.map((d) => [d.id, d as ConsentEvent]));
  const proven: ConsentEvent[] = [];
  for (const link of candidates) {
    const kept = byId.get(link.id);
    if (!kept || (kept.deviceId === link.deviceId && kept.seq === link.seq) || !sameFact(kept, link) || !hashMatches(link)) continue;
    const taken = await db.consent_events.count({ selector: { deviceId, seq: link.seq } }).exec();
    if (taken === 0 && !proven.some((p) => p.seq === link.seq)) proven.push(link);
  }
  return proven.sort((a, b) => a.seq - b.seq);
}

// The proven kept links of every device that has filed ones, for a check that runs away from
// the store (the integrity worker): the few audit entries are read here, once.
export async function provenKeptLinksByDevice(db: AppDatabase): Promise<Record<string, ConsentEvent[]>> {
  const entries = await db.audit_log.find({ selector: { action: KEPT_LINK_ACTION } }).exec();
  const devices = new Set<string>();
  for (const d of entries) {
    const event = (d.details as { event?: ConsentEvent }).event;
    if (event && typeof event.deviceId === 'string') devices.add(event.deviceId);
  }
  const byDevice: Record<string, ConsentEvent[]> = {};
  for (const deviceId of devices) {
    const proven = await provenKeptLinks(db, deviceId);
    if (proven.length > 0) byDevice[deviceId] = proven;
  }
  // Plain data for the worker: entries read through RxDB documents are not structured-cloneable.
  return JSON.parse(JSON.stringify(byDevice)) as Record<string, ConsentEvent[]>;
}
