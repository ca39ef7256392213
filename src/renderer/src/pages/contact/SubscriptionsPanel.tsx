import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactConsent, TypeConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import { actorLabel } from '../../components/consent-labels';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format';
import { offersOptInQr } from '../collect/click-to-chat';
import { ConsentDialog } from './ConsentDialog';
import { ConsentTermNote } from './ConsentTermNote';
import { OptInQrDialog } from './OptInQrDialog';
import { OptOutAllControl } from './OptOutAllControl';

type Props = { contact: ContactRow; consent: ContactConsent; canChange: boolean; onChanged(): void };

// Every subscription type with its status, the last change and the one action that applies.
export function SubscriptionsPanel({ contact, consent, canChange, onChanged }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<{ row: TypeConsent; contact: ContactRow } | null>(null);
  const [notice, setNotice] = useState('');
  // By type id: the dialog follows the live row, so it sees the contact's opt-in arrive.
  const [qrFor, setQrFor] = useState('');
  const qrRow = consent.types.find((r) => r.type.id === qrFor);
  const closeQr = () => {
    const typeId = qrFor;
    setQrFor('');
    // Once the contact has subscribed, the button that opened the QR is gone: keep focus in their row.
    requestAnimationFrame(() => {
      if (document.activeElement === document.body) document.getElementById(`consent-action-${typeId}`)?.focus();
    });
  };
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
                {row.expiry && <ConsentTermNote expiry={row.expiry} />}
                {canChange && (
                  <div className="subscription-actions">
                    {offersOptInQr(row.type, row.status) && (
                      <button
                        type="button"
                        data-testid={`opt-in-qr-${row.type.id}`}
                        aria-label={t('consent.showOptInQrFor', { type: row.type.name })}
                        onClick={() => {
                          setNotice('');
                          setQrFor(row.type.id);
                        }}
                      >
                        {t('consent.showOptInQr')}
                      </button>
                    )}
                    {!(row.type.archived && row.action !== 'unsubscribe') && (
                      <button
                        type="button"
                        className={row.action === 'unsubscribe' ? '' : 'primary'}
                        id={`consent-action-${row.type.id}`}
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
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <OptOutAllControl contact={contact} optedOutAll={consent.optedOutAll} canChange={canChange} onChanged={(m) => { setNotice(m); onChanged(); }} />
      {qrRow && <OptInQrDialog contact={contact} row={qrRow} onClose={closeQr} />}
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
