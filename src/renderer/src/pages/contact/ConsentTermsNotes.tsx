import { useTranslation } from 'react-i18next';
import type { ContactConsent } from '../../../../shared/api/consent-channels';
import { formatDateTime } from '../../format';

// Expiry is not an event (it follows from the ledger, the type's term and the clock), so the
// history tab states it above the events: when each term began and when it ends or ended.
export function ConsentTermsNotes({ consent }: { consent: ContactConsent }) {
  const { t } = useTranslation();
  const terms = consent.types.filter((row) => row.expiry);
  if (terms.length === 0) return null;
  return (
    <div className="card" data-testid="history-terms">
      <h2>{t('lifecycle.historyNotes')}</h2>
      <ul>
        {terms.map((row) =>
          row.expiry ? (
            <li key={row.type.id} data-phase={row.expiry.phase}>
              {t(row.expiry.phase === 'expired' ? 'lifecycle.historyExpired' : 'lifecycle.historyExpires', {
                type: row.type.name,
                time: formatDateTime(row.expiry.expiresAt),
                since: formatDateTime(row.lastEvent?.occurredAt ?? ''),
              })}
            </li>
          ) : null,
        )}
      </ul>
    </div>
  );
}
