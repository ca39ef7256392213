import { useTranslation } from 'react-i18next';
import type { ConsentExpiry } from '../../../../shared/consent/consent-expiry';
import { formatDateTime } from '../../format';

// The end of a subscription's term, on its row in the subscriptions panel.
export function ConsentTermNote({ expiry }: { expiry: ConsentExpiry }) {
  const { t } = useTranslation();
  const time = formatDateTime(expiry.expiresAt);
  const key = expiry.phase === 'expired' ? 'lifecycle.expiredOn' : expiry.phase === 'expiring' ? 'lifecycle.expiringOn' : 'lifecycle.expiresOn';
  return (
    <span className={expiry.phase === 'valid' ? 'muted small' : 'warn-note small'} data-testid="subscription-expiry" data-phase={expiry.phase}>
      {t(key, { time })}
    </span>
  );
}
