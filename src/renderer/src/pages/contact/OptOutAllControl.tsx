import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import { must } from '../../api/client';
import { actorLabel } from '../../components/consent-labels';
import { errorText } from '../../components/errors';
import { Modal } from '../../components/Modal';
import { formatDateTime } from '../../format';

type Props = { contact: ContactRow; optedOutAll: ContactConsent['optedOutAll']; canChange: boolean; onChanged(message: string): void };

// The channel-wide "opted out of all WhatsApp" flag: a switch that always confirms.
export function OptOutAllControl({ contact, optedOutAll, canChange, onChanged }: Props) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<ContactConsent['optedOutAll'] | null>(null);
  const on = optedOutAll.status === 'unsubscribed';
  return (
    <div className="opt-out-all" data-testid="opt-out-all">
      <label className="checkbox-label">
        <input
          type="checkbox"
          role="switch"
          data-testid="opt-out-all-toggle"
          checked={on}
          disabled={!canChange}
          aria-checked={on}
          onChange={() => setConfirming(optedOutAll)}
        />
        {t('optOutAll.label')}
      </label>
      <span className="muted small" data-testid="opt-out-all-state">
        {on
          ? optedOutAll.ownOptOut
            ? t('optOutAll.onOwn')
            : t('optOutAll.on', {
                who: optedOutAll.lastEvent ? actorLabel(t, optedOutAll.lastEvent.actor) : '',
                when: optedOutAll.lastEvent ? formatDateTime(optedOutAll.lastEvent.occurredAt) : '',
              })
          : t('optOutAll.off')}
      </span>
      {confirming && (
        <OptOutAllDialog contact={contact} state={confirming} onClose={() => setConfirming(null)} onDone={(m) => { setConfirming(null); onChanged(m); }} />
      )}
    </div>
  );
}

function OptOutAllDialog({ contact, state, onClose, onDone }: { contact: ContactRow; state: ContactConsent['optedOutAll']; onClose(): void; onDone(message: string): void }) {
  const { t } = useTranslation();
  const [explanation, setExplanation] = useState('');
  const [confirmOwn, setConfirmOwn] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const setting = state.status !== 'unsubscribed';
  const needsConfirmation = !setting && state.ownOptOut;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (!explanation.trim()) return setError(t('errors.explanation_required'));
    setBusy(true);
    try {
      await must('consent:setOptOutAll', {
        contactId: contact.id,
        optedOut: setting,
        explanation: explanation.trim(),
        basedOn: state.lastEvent?.id ?? '',
        confirmOwnOptOut: needsConfirmation && confirmOwn,
      });
      onDone(setting ? t('optOutAll.doneOn') : t('optOutAll.doneOff'));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={setting ? t('optOutAll.titleOn') : t('optOutAll.titleOff')} onClose={onClose} testId="opt-out-all-dialog">
      <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
        <p className="muted">{setting ? t('optOutAll.introOn', { name: contact.name }) : t('optOutAll.introOff', { name: contact.name })}</p>
        <label>
          {t('consent.explanation')}
          <textarea data-testid="opt-out-all-explanation" rows={3} required aria-required="true" maxLength={2000} value={explanation} onChange={(e) => setExplanation(e.target.value)} />
        </label>
        {needsConfirmation && (
          <div className="warn-note stack">
            <p className="no-margin">{t('optOutAll.ownWarning', { name: contact.name })}</p>
            <label className="checkbox-label">
              <input type="checkbox" data-testid="opt-out-all-confirm-own" checked={confirmOwn} onChange={(e) => setConfirmOwn(e.target.checked)} />
              {t('consent.confirmOwnOptOut')}
            </label>
          </div>
        )}
        {error && <p role="alert" className="error" data-testid="opt-out-all-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>{t('app.cancel')}</button>
          <button type="submit" className={setting ? 'danger' : 'primary'} data-testid="opt-out-all-submit" disabled={busy || (needsConfirmation && !confirmOwn)}>
            {setting ? t('optOutAll.confirmOn') : t('optOutAll.confirmOff')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
