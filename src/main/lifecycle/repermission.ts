import type { RepermissionList, RepermissionRow } from '../../shared/api/lifecycle-channels';
import { consentExpiry } from '../../shared/consent/consent-expiry';
import type { ConsentStateRow } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { TypeService } from '../subscription-types/type-service';

// Contacts whose consent has expired or expires soon (SPEC 13), so someone can ask them to
// confirm it again. Read from the consent_state projection: a subscription's term starts at
// the event that set it (lastOccurredAt), the same input may-I-message uses.
// Contacts opted out of all WhatsApp are left out: asking them again would itself be a message
// they refused.

export type Repermission = {
  list(input: { withinDays: number; typeId: string }): Promise<RepermissionList>;
};

export function createRepermission(deps: { db: AppDatabase; types: TypeService; directory: ContactDirectory; now: () => Date }): Repermission {
  const { db, types, directory, now } = deps;
  return {
    async list({ withinDays, typeId }) {
      await directory.ready;
      const at = now();
      const terms = (await types.list()).filter((t) => (t.validForMonths ?? 0) > 0 && (typeId === '' || t.id === typeId));
      const rows: RepermissionRow[] = [];
      for (const type of terms) {
        const subscribed = await queryPlain<ConsentStateRow>(db.consent_state, { selector: { typeId: type.id, status: 'subscribed' } });
        for (const state of subscribed) {
          const expiry = consentExpiry({ subscribedAt: state.lastOccurredAt, validForMonths: type.validForMonths, now: at, warningDays: withinDays });
          if (expiry.phase !== 'expired' && expiry.phase !== 'expiring') continue;
          const contact = directory.get(state.contactId);
          if (!contact || contact.optedOutAll) continue;
          rows.push({
            contactId: contact.id,
            contactName: contact.name,
            waNumber: contact.waNumber,
            typeId: type.id,
            typeName: type.name,
            subscribedAt: state.lastOccurredAt,
            expiresAt: expiry.expiresAt,
            daysLeft: expiry.daysLeft,
            expired: expiry.phase === 'expired',
            lastEventId: state.lastEventId,
          });
        }
      }
      rows.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.contactName.localeCompare(b.contactName) || a.contactId.localeCompare(b.contactId));
      return { rows, expired: rows.filter((r) => r.expired).length, expiring: rows.filter((r) => !r.expired).length, checkedAt: at.toISOString() };
    },
  };
}
