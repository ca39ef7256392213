import type { RetentionOutcome } from '../../shared/api/lifecycle-channels';
import type { ConsentEvent } from '../../shared/domain';
import { RECORDS_TEXT_REMOVED_KEY, eventHoldsMessageText, reviewHoldsMessageText, reviewWithoutMessageText, withoutMessageText } from '../erasure/retention-scrub';
import type { AppDatabase } from '../store/database';
import type { AuditLogDoc, InboundMessageDoc, ReviewItemDoc } from '../store/schemas/operations-schemas';
import { rewriteQuarantined } from '../erasure/contact-scrub';
import { KEPT_LINK_ACTION } from '../integrity/kept-links';
import { queryPlain } from '../store/plain-documents';
import type { LifecycleSettingsStore } from './lifecycle-settings';

// Retention of inbound message text (SPEC 13): once a message is older than the configured
// number of days (default 90), its text is removed everywhere it was copied to:
// - the inbound-messages store: the body, and the text-bearing fields of the parsed payload
//   kept beside it (body, button text and payload, preference detail, profile name);
// - the consent events made from it (`msg:<message id>:<type id>`): the explanation that
//   quotes it and the text in the evidence, through the salted digests (erasure/
//   retention-scrub.ts): value and salt deleted, digest and hash kept, so the ledger still
//   verifies and the integrity check counts these events under `erased.retention`;
// - the review item raised from it (`review:msg:<message id>`): its summary and texts;
// - copies sync kept aside: chain links kept in the audit log, documents in quarantine.
// What stays is what the consent record needs: ids, sender number, times, kind, outcome,
// status, and `bodyRemovedAt` / `recordsTextRemovedAt` on the message.
//
// Every device applies the same rule with its own clock. Each change is a new revision that
// sync pushes: insert-only records holding less personal data win over the server's copy
// (sync/conflict-handlers.ts), review items merge field by field, so the server's copy loses
// the text too. Events written before salted digests cannot lose a value without breaking
// their hash: they are counted (`legacyEvents`), not changed.

const TEXT_FIELDS = ['body', 'buttonText', 'buttonPayload', 'preferenceDetail', 'profileName'] as const;
const RECORDS_MARK = RECORDS_TEXT_REMOVED_KEY;
const DAY_MS = 24 * 60 * 60 * 1000;
// Messages per pass: their events are looked up by id, one per subscription type.
const CHUNK = 200;

export type RetentionResult = RetentionOutcome;
export type InboundRetention = { sweep(): Promise<RetentionResult> };

const holdsText = (m: InboundMessageDoc) => m.body !== '' || TEXT_FIELDS.some((f) => f in m.payload);
const due = (m: InboundMessageDoc) => holdsText(m) || m.payload[RECORDS_MARK] === undefined;

function clearedMessage(m: InboundMessageDoc, at: string): InboundMessageDoc {
  const payload: Record<string, unknown> = { ...m.payload, [RECORDS_MARK]: at };
  if (holdsText(m)) payload.bodyRemovedAt = at;
  for (const f of TEXT_FIELDS) delete payload[f];
  return { ...m, body: '', payload };
}

export function createInboundRetention(deps: { db: AppDatabase; settings: LifecycleSettingsStore; now: () => Date }): InboundRetention {
  const { db, settings, now } = deps;

  const clearEvents = async (messages: InboundMessageDoc[], typeIds: string[]) => {
    const ids = messages.flatMap((m) => typeIds.map((t) => `${m.id}:${t}`));
    const found = [...(await db.consent_events.findByIds(ids).exec()).values()].map((d) => d.toMutableJSON() as ConsentEvent);
    const erasable = found.filter(eventHoldsMessageText);
    if (erasable.length > 0) await db.consent_events.bulkUpsert(erasable.map(withoutMessageText));
    const legacy = found.filter((e) => !e.personal && (typeof e.evidence.messageText === 'string' || typeof e.evidence.buttonText === 'string')).length;
    return { events: erasable.length, legacyEvents: legacy };
  };

  const clearReviews = async (messages: InboundMessageDoc[]) => {
    let n = 0;
    for (const doc of (await db.review_items.findByIds(messages.map((m) => `review:${m.id}`)).exec()).values()) {
      const item = doc.toJSON() as ReviewItemDoc;
      if (!reviewHoldsMessageText(item)) continue;
      // Through the document, so the field stamps mark these fields changed (sync merges by field).
      await doc.incrementalPatch(reviewWithoutMessageText(item));
      n += 1;
    }
    return n;
  };

  // Copies of the same records that sync kept aside, counted with the records.
  const clearKeptCopies = async (eventIds: ReadonlySet<string>, messageIds: ReadonlySet<string>, at: string) => {
    const kept = (await queryPlain<AuditLogDoc>(db.audit_log, { selector: { action: KEPT_LINK_ACTION } })).filter((entry) => {
      const event = (entry.details as { event?: ConsentEvent }).event;
      return event !== undefined && eventIds.has(event.id) && eventHoldsMessageText(event);
    });
    if (kept.length > 0) {
      await db.audit_log.bulkUpsert(kept.map((entry) => ({ ...entry, details: { ...entry.details, event: withoutMessageText((entry.details as { event: ConsentEvent }).event) } })));
    }
    const counts = { events: kept.length, reviewItems: 0 };
    await rewriteQuarantined(db, (collection, doc) => {
      if (collection === 'consent_events' && eventIds.has(String(doc.id)) && eventHoldsMessageText(doc as unknown as ConsentEvent)) {
        counts.events += 1;
        return withoutMessageText(doc as unknown as ConsentEvent) as unknown as Record<string, unknown>;
      }
      if (collection === 'inbound_messages' && messageIds.has(String(doc.id)) && typeof doc.payload === 'object' && doc.payload !== null) return clearedMessage(doc as unknown as InboundMessageDoc, at) as unknown as Record<string, unknown>;
      if (collection === 'review_items' && messageIds.has(String(doc.id).replace(/^review:/, '')) && typeof doc.evidence === 'object' && doc.evidence !== null && reviewHoldsMessageText(doc as unknown as ReviewItemDoc)) {
        counts.reviewItems += 1;
        return { ...doc, ...reviewWithoutMessageText(doc as unknown as ReviewItemDoc) };
      }
      return undefined;
    });
    return counts;
  };

  return {
    async sweep() {
      const at = now();
      const days = (await settings.get()).inboundRetentionDays;
      const cutoff = new Date(at.getTime() - days * DAY_MS).toISOString();
      const result: RetentionResult = { cutoff, cleared: 0, events: 0, legacyEvents: 0, reviewItems: 0 };
      const old = await queryPlain<InboundMessageDoc>(db.inbound_messages, { selector: { receivedAt: { $lt: cutoff } } });
      const stale = old.filter(due);
      if (stale.length === 0) return result;
      const typeIds = (await db.subscription_types.find().exec()).map((t) => t.id);
      const stamp = at.toISOString();
      // Before the messages are marked done: a sweep cut short does it again.
      const eventIds = new Set(stale.flatMap((m) => typeIds.map((t) => `${m.id}:${t}`)));
      const kept = await clearKeptCopies(eventIds, new Set(stale.map((m) => m.id)), stamp);
      result.events += kept.events;
      result.reviewItems += kept.reviewItems;
      for (let start = 0; start < stale.length; start += CHUNK) {
        const chunk = stale.slice(start, start + CHUNK);
        // The records made from the messages first: a sweep cut short finds the messages still due.
        const events = await clearEvents(chunk, typeIds);
        result.events += events.events;
        result.legacyEvents += events.legacyEvents;
        result.reviewItems += await clearReviews(chunk);
        await db.inbound_messages.bulkUpsert(chunk.map((m) => clearedMessage(m, stamp)));
        result.cleared += chunk.filter(holdsText).length;
      }
      return result;
    },
  };
}
