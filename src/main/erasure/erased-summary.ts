import type { ConsentEvent } from '../../shared/domain';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { ERASURE_ACTION } from './contact-erasure';
import { personalVerdict } from './personal-digests';

// What the integrity check reports as erased rather than altered: contacts with an erasure
// record, and their events whose personal values are gone (their hashes verify; the values
// are accounted for by the record). Read by contact (indexed), not by a scan of the ledger.
export async function erasedSummary(db: AppDatabase): Promise<{ contacts: number; events: number }> {
  const records = await queryPlain<AuditLogDoc>(db.audit_log, { selector: { action: ERASURE_ACTION } });
  const contactIds = [...new Set(records.map((r) => r.details.contactId).filter((id): id is string => typeof id === 'string'))];
  let events = 0;
  for (const contactId of contactIds) {
    const held = await queryPlain<ConsentEvent>(db.consent_events, { selector: { contactId } });
    events += held.filter((e) => personalVerdict(e) === 'erased').length;
  }
  return { contacts: contactIds.length, events };
}
