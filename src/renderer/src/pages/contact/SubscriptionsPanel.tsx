import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactConsent, TypeConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import { actorLabel } from '../../components/consent-labels';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format';
import { ConsentDialog } from './ConsentDialog';
import { OptOutAllControl } from './OptOutAllControl';

type Props = { contact: ContactRow; consent: ContactConsent; canChange: boolean; onChanged(): void };

// Every subscription type with its status, the last change and the one action that applies.
export function SubscriptionsPanel({ contact, consent, canChange, onChanged }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<{ row: TypeConsent; contact: ContactRow } | null>(null);
  const [notice, setNotice] = useState('');
  const numberProblem = !contact.phoneValid;

  return (
    <div className="card" data-testid="subscriptions-panel">
      <h2 id="subscriptions-title">{t('consent.panelTitle')}</h2>
      {numberProblem && (
        <p className="warn-note" id="subscribe-blocked" data-testid="subscribe-blocked">
          {contact.phoneInput ? t('consent.numberInvalid', { number: contact.phoneInput }) : t('consent.numberMissing')}
        </p>
      )}
      {notice && (
        <p className="ok-note" role="status" data-testid="consent-notice">
          {notice}
        </p>
      )}
      {consent.types.length === 0 ? (
        <p className="empty-state" data-testid="no-types">{t('consent.noTypes')}</p>
      ) : (
        <ul className="subscription-list" aria-labelledby="subscriptions-title">
          {consent.types.map((row) => {
            const blocked = row.action !== 'unsubscribe' && numberProblem;
            return (
              <li key={row.type.id} className="subscription-item" data-testid={`subscription-${row.type.id}`}>
                <div className="subscription-main">
                  <strong>{row.type.name}</strong>
                  <span className="muted small">
                    {t(`purpose.${row.type.purpose}`)}
                    {row.type.archived ? ` · ${t('types.archived')}` : ''}
                  </span>
                </div>
                <span data-testid="subscription-status">
                  <StatusBadge status={row.status} />
                  {row.ownOptOut && <span className="muted small"> {t('consent.ownOptOut')}</span>}
                </span>
                <span className="muted small subscription-last" data-testid="subscription-last">
                  {row.lastEvent
                    ? t('consent.lastChange', {
                        who: actorLabel(t, row.lastEvent.actor),
                        when: formatDateTime(row.lastEvent.occurredAt),
                        source: t(`source.${row.lastEvent.source}`),
                      })
                    : t('consent.neverChanged')}
                </span>
                {canChange && !(row.type.archived && row.action !== 'unsubscribe') && (
                  <button
                    type="button"
                    className={row.action === 'unsubscribe' ? '' : 'primary'}
                    data-testid={`consent-action-${row.type.id}`}
                    disabled={blocked}
                    aria-describedby={blocked ? 'subscribe-blocked' : undefined}
                    aria-label={t(`consent.actionFor_${row.action}`, { type: row.type.name })}
                    onClick={() => {
                      setNotice('');
                      setOpen({ row, contact });
                    }}
                  >
                    {t(`consent.action_${row.action}`)}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <OptOutAllControl contact={contact} optedOutAll={consent.optedOutAll} canChange={canChange} onChanged={(m) => { setNotice(m); onChanged(); }} />
      {open && (
        <ConsentDialog
          contact={open.contact}
          row={open.row}
          onClose={() => setOpen(null)}
          onDone={(message) => {
            setOpen(null);
            setNotice(message);
            onChanged();
          }}
        />
      )}
    </div>
  );
}
