import type { ConsentEvent } from '../../shared/domain';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { AuditLogDoc, InboundMessageDoc } from '../store/schemas/operations-schemas';
import { ERASURE_ACTION } from './contact-erasure';
import { personalVerdict } from './personal-digests';
import { isRetentionErased, RECORDS_TEXT_REMOVED_KEY } from './retention-scrub';

// What the integrity check reports as erased rather than altered: contacts with an erasure
// record, and their events whose personal values are gone (their hashes verify; the values
// are accounted for by the record). Read by contact (indexed), not by a scan of the ledger.
// Events of other contacts whose only removed values are message text are counted as
// `retention` (lifecycle/inbound-retention.ts), found through the messages it cleared.
export async function erasedSummary(db: AppDatabase): Promise<{ contacts: number; events: number; retention: number }> {
  const records = await queryPlain<AuditLogDoc>(db.audit_log, { selector: { action: ERASURE_ACTION } });
  const contactIds = [...new Set(records.map((r) => r.details.contactId).filter((id): id is string => typeof id === 'string'))];
  let events = 0;
  for (const contactId of contactIds) {
    const held = await queryPlain<ConsentEvent>(db.consent_events, { selector: { contactId } });
    events += held.filter((e) => personalVerdict(e) === 'erased').length;
  }
  return { contacts: contactIds.length, events, retention: await retainedEvents(db, new Set(contactIds)) };
}

async function retainedEvents(db: AppDatabase, erasedContacts: ReadonlySet<string>): Promise<number> {
  const cleared = (await queryPlain<InboundMessageDoc>(db.inbound_messages, { selector: { [`payload.${RECORDS_TEXT_REMOVED_KEY}`]: { $exists: true } } })).filter(
    (m) => !erasedContacts.has(m.contactId),
  );
  if (cleared.length === 0) return 0;
  const typeIds = (await db.subscription_types.find().exec()).map((t) => t.id);
  let n = 0;
  const CHUNK = 500;
  for (let start = 0; start < cleared.length; start += CHUNK) {
    const ids = cleared.slice(start, start + CHUNK).flatMap((m) => typeIds.map((t) => `${m.id}:${t}`));
    for (const doc of (await db.consent_events.findByIds(ids).exec()).values()) {
      const event = doc.toJSON() as ConsentEvent;
      if (personalVerdict(event) === 'erased' && isRetentionErased(event)) n += 1;
    }
  }
  return n;
}
