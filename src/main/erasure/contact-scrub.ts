import type { ConsentEvent, Contact } from '../../shared/domain';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { AuditLogDoc, InboundMessageDoc, ReviewItemDoc } from '../store/schemas/operations-schemas';
import { erasePersonalValues, holdsPersonalValues, isStructuralEvidenceKey } from './personal-digests';

/*
 * What erasing one contact changes in the store (docs/erasure.md). Each step only ever
 * removes, so running it again, or on a copy that arrived later by sync, is harmless, and a
 * copy is "clean" when running it would change nothing.
 */

// Parsed-payload fields of an inbound message that identify the message or the business, not the sender.
const STRUCTURAL_PAYLOAD_KEYS = new Set(['kind', 'messageId', 'businessDisplayNumber', 'phoneNumberId', 'timestamp', 'messageType', 'contextMessageId', 'preference', 'bodyRemovedAt', 'recordsTextRemovedAt']);

export type ScrubCounts = { contact: boolean; events: number; legacyEvents: number; inboundMessages: number; reviewItems: number };

const contactHolds = (c: Contact) =>
  c.name !== '' || c.email !== '' || c.phoneInput !== '' || c.waNumber !== '' || Object.keys(c.properties).length > 0 || c.tags.length > 0;

// The texts an inbound message still holds: body, sender, payload fields that are not structural.
export const inboundTextCount = (m: InboundMessageDoc): number =>
  (m.body ? 1 : 0) + (m.from ? 1 : 0) + Object.keys(m.payload ?? {}).filter((k) => !STRUCTURAL_PAYLOAD_KEYS.has(k)).length;

export const inboundHolds = (m: InboundMessageDoc) => inboundTextCount(m) > 0;

export const reviewHolds = (r: ReviewItemDoc) =>
  r.summary !== '' || Object.entries(r.evidence).some(([k, v]) => typeof v === 'string' && v !== '' && !isStructuralEvidenceKey(k));

export const eventHolds = holdsPersonalValues;

function scrubbedInbound(m: InboundMessageDoc): InboundMessageDoc {
  const payload: Record<string, unknown> = {};
  for (const key of Object.keys(m.payload)) if (STRUCTURAL_PAYLOAD_KEYS.has(key)) payload[key] = m.payload[key];
  return { ...m, body: '', from: '', payload };
}

// A document sync kept aside (sync/quarantine-store.ts, in local_meta) that concerns the contact.
function scrubbedQuarantined(collection: string, doc: Record<string, unknown>, contactId: string): Record<string, unknown> | undefined {
  if (collection === 'consent_events' && doc.contactId === contactId) return erasePersonalValues(doc as ConsentEvent) as unknown as Record<string, unknown>;
  if (collection === 'inbound_messages' && doc.contactId === contactId) return scrubbedInbound(doc as InboundMessageDoc) as unknown as Record<string, unknown>;
  if (collection === 'review_items' && doc.contactId === contactId) return { ...doc, summary: '', evidence: scrubbedEvidence((doc.evidence ?? {}) as Record<string, unknown>) };
  if (collection === 'contacts' && doc.id === contactId) return { ...doc, name: '', email: '', phoneInput: '', waNumber: '', properties: {}, tags: [] };
  return undefined;
}

const QUARANTINE_PREFIX = 'quarantine:';

// Rewrites the documents sync kept aside (the rewrite returns undefined to leave one as it is);
// returns how many changed.
export async function rewriteQuarantined(db: AppDatabase, rewrite: (collection: string, doc: Record<string, unknown>) => Record<string, unknown> | undefined): Promise<number> {
  type Entry = { id: string; value: { collection?: unknown; doc?: unknown; excerpt?: unknown }; updatedAt: string };
  const entries = await queryPlain<Entry>(db.local_meta, { selector: { id: { $gte: QUARANTINE_PREFIX, $lt: `${QUARANTINE_PREFIX}\uffff` } } });
  const changed: Entry[] = [];
  for (const entry of entries) {
    const doc = entry.value.doc;
    if (typeof entry.value.collection !== 'string' || !doc || typeof doc !== 'object') continue;
    const scrubbed = rewrite(entry.value.collection, doc as Record<string, unknown>);
    if (!scrubbed || JSON.stringify(scrubbed) === JSON.stringify(doc)) continue;
    changed.push({ ...entry, value: { ...entry.value, doc: scrubbed, excerpt: JSON.stringify(scrubbed).slice(0, 300) } });
  }
  if (changed.length > 0) await db.local_meta.bulkUpsert(changed);
  // Entries released or removed earlier stay as deleted rows with their data until purged;
  // local_meta never replicates, so purging them loses nothing.
  await db.local_meta.storageInstance.cleanup(0);
  return changed.length;
}

function scrubbedEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(evidence)) if (typeof v !== 'string' || isStructuralEvidenceKey(k)) out[k] = v;
  return out;
}

export async function scrubContact(db: AppDatabase, contactId: string, at: string): Promise<ScrubCounts> {
  const counts: ScrubCounts = { contact: false, events: 0, legacyEvents: 0, inboundMessages: 0, reviewItems: 0 };

  const contact = await db.contacts.findOne(contactId).exec();
  if (contact && contactHolds(contact.toJSON() as Contact)) {
    // Through the collection, so the field stamps (sync merge) mark these fields as changed now.
    await contact.incrementalPatch({ name: '', email: '', phoneInput: '', waNumber: '', phoneValid: false, properties: {}, tags: [], updatedAt: at });
    counts.contact = true;
  }

  const events = await queryPlain<ConsentEvent>(db.consent_events, { selector: { contactId } });
  const erasable = events.filter(eventHolds);
  // Events written before salted digests hash their values: they are counted, not changed.
  counts.legacyEvents = events.filter((e) => !e.personal).length;
  if (erasable.length > 0) await db.consent_events.bulkUpsert(erasable.map(erasePersonalValues));
  counts.events = erasable.length;

  // Chain links kept aside by sync (integrity/kept-links.ts) hold whole copies of events.
  const kept = (await queryPlain<AuditLogDoc>(db.audit_log, { selector: { action: 'ledger.link_kept' } })).filter((entry) => {
    const event = (entry.details as { event?: ConsentEvent }).event;
    return event?.contactId === contactId && eventHolds(event);
  });
  if (kept.length > 0) {
    await db.audit_log.bulkUpsert(kept.map((entry) => ({ ...entry, details: { ...entry.details, event: erasePersonalValues((entry.details as { event: ConsentEvent }).event) } })));
  }
  counts.events += kept.length;

  const inbound = (await queryPlain<InboundMessageDoc>(db.inbound_messages, { selector: { contactId } })).filter(inboundHolds);
  if (inbound.length > 0) await db.inbound_messages.bulkUpsert(inbound.map(scrubbedInbound));
  counts.inboundMessages = inbound.length;

  counts.events += await rewriteQuarantined(db, (collection, doc) => scrubbedQuarantined(collection, doc, contactId));

  const reviews = await db.review_items.find({ selector: { contactId } }).exec();
  for (const doc of reviews) {
    const item = doc.toJSON() as ReviewItemDoc;
    if (!reviewHolds(item)) continue;
    await doc.incrementalPatch({ summary: '', evidence: scrubbedEvidence(item.evidence) });
    counts.reviewItems += 1;
  }
  return counts;
}
