import type { RepermissionList, RepermissionRow } from '../../shared/api/lifecycle-channels';
import { consentExpiry, type ConsentExpiry } from '../../shared/consent/consent-expiry';
import type { ConsentStateRow, SubscriptionType } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { TypeService } from '../subscription-types/type-service';

// Contacts whose consent has expired or expires soon (SPEC 13), so someone can ask them to
// confirm it again. Read from the consent_state projection: a subscription's term starts at
// the event that set it (lastOccurredAt), the same input may-I-message uses.
// Contacts opted out of all WhatsApp are left out: asking them again would itself be a message
// they refused.

// Subscriptions to a type whose term has ended or ends within the given days (also the
// automation trigger "consent expiring").
export async function subscriptionsEnding(db: AppDatabase, type: SubscriptionType, withinDays: number, at: Date): Promise<{ state: ConsentStateRow; expiry: ConsentExpiry }[]> {
  if ((type.validForMonths ?? 0) <= 0) return [];
  const subscribed = await queryPlain<ConsentStateRow>(db.consent_state, { selector: { typeId: type.id, status: 'subscribed' } });
  return subscribed
    .map((state) => ({ state, expiry: consentExpiry({ subscribedAt: state.lastOccurredAt, validForMonths: type.validForMonths, now: at, warningDays: withinDays }) }))
    .filter(({ expiry }) => expiry.phase === 'expired' || expiry.phase === 'expiring');
}

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
        for (const { state, expiry } of await subscriptionsEnding(db, type, withinDays, at)) {
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
