import { useTranslation } from 'react-i18next';
import type { ContactConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import type { MayMessageAnswer } from '../../../../shared/consent/may-message';
import { formatDateTime } from '../../format';

// "May I message this contact?" (SPEC 10), always with the reason, in the UI language.
export function MayMessagePanel({ contact, consent }: { contact: ContactRow; consent: ContactConsent }) {
  const { t } = useTranslation();
  const reason = (answer: MayMessageAnswer, type: string) =>
    t(`mayMessage.${answer.reasonCode}`, {
      type,
      time: formatDateTime(answer.expiresAt ?? answer.windowClosesAt ?? contact.lastInboundAt),
    });
  const marketing = consent.types.filter((row) => row.marketing);
  return (
    <div className="card" data-testid="may-message">
      <h2>{t('mayMessage.title')}</h2>
      <ul className="answer-list">
        {marketing.map((row) =>
          row.marketing ? (
            <li key={row.type.id} data-testid={`may-marketing-${row.type.id}`} data-allowed={row.marketing.allowed}>
              <span className={row.marketing.allowed ? 'answer yes' : 'answer no'}>
                {row.marketing.allowed ? t('mayMessage.yes') : t('mayMessage.no')}
              </span>
              <span>
                <strong>{t('mayMessage.marketing', { type: row.type.name })}</strong>
                <br />
                <span className="muted">{reason(row.marketing, row.type.name)}</span>
              </span>
            </li>
          ) : null,
        )}
        <li data-testid="may-service" data-allowed={consent.service.allowed}>
          <span className={consent.service.allowed ? 'answer yes' : 'answer no'}>
            {consent.service.allowed ? t('mayMessage.yes') : t('mayMessage.no')}
          </span>
          <span>
            <strong>{t('mayMessage.service')}</strong>
            <br />
            <span className="muted">{reason(consent.service, '')}</span>
          </span>
        </li>
      </ul>
      {marketing.length === 0 && <p className="muted small">{t('mayMessage.noMarketingTypes')}</p>}
    </div>
  );
}
