import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TypeConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import { LEGAL_BASES, type LegalBasis } from '../../../../shared/domain';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { Modal } from '../../components/Modal';

type Props = {
  // Snapshots taken when the dialog opened: the change is based on what the user saw.
  contact: ContactRow;
  row: TypeConsent;
  onClose(): void;
  onDone(message: string): void;
};

const isLegalBasis = (v: string): v is LegalBasis => (LEGAL_BASES as readonly string[]).includes(v);

// Subscribe / Resubscribe / Unsubscribe one type (SPEC 5). Main enforces every rule;
// the dialog asks for what main will require, so the common refusals never happen.
export function ConsentDialog({ contact, row, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [legalBasis, setLegalBasis] = useState<LegalBasis | ''>('');
  const [explanation, setExplanation] = useState('');
  const [confirmOwn, setConfirmOwn] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const subscribing = row.action !== 'unsubscribe';
  const needsConfirmation = row.action === 'resubscribe' && row.ownOptOut;
  const numberMissing = subscribing && !contact.phoneValid;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (subscribing && !legalBasis) return setError(t('errors.legal_basis_required'));
    if (!explanation.trim()) return setError(t('errors.explanation_required'));
    setBusy(true);
    try {
      await must('consent:change', {
        contactId: contact.id,
        typeId: row.type.id,
        action: row.action,
        legalBasis: subscribing ? legalBasis : '',
        explanation: explanation.trim(),
        basedOn: row.lastEvent?.id ?? '',
        confirmOwnOptOut: needsConfirmation && confirmOwn,
      });
      onDone(t(`consent.done_${row.action}`, { type: row.type.name }));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t(`consent.title_${row.action}`, { type: row.type.name })} onClose={onClose} testId="consent-dialog">
      <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
        <p className="muted">{t(`consent.intro_${row.action}`, { name: contact.name, type: row.type.name })}</p>
        {numberMissing && (
          <p className="warn-note" role="alert" data-testid="dialog-number-warning">
            {contact.phoneInput ? t('consent.numberInvalid', { number: contact.phoneInput }) : t('consent.numberMissing')}
          </p>
        )}
        {subscribing && (
          <label>
            {t('consent.legalBasis')}
            <select
              data-testid="legal-basis"
              required
              aria-required="true"
              value={legalBasis}
              onChange={(e) => {
                setLegalBasis(isLegalBasis(e.target.value) ? e.target.value : '');
                setError('');
              }}
            >
              <option value="">{t('consent.chooseLegalBasis')}</option>
              {LEGAL_BASES.map((b) => (
                <option key={b} value={b}>
                  {t(`legalBasis.${b}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('consent.explanation')}
          <textarea
            data-testid="explanation"
            required
            aria-required="true"
            rows={3}
            maxLength={2000}
            value={explanation}
            placeholder={t(subscribing ? 'consent.explanationHintSubscribe' : 'consent.explanationHintUnsubscribe')}
            onChange={(e) => {
              setExplanation(e.target.value);
              setError('');
            }}
          />
        </label>
        {needsConfirmation && (
          <div className="warn-note stack" data-testid="own-opt-out-warning">
            <p className="no-margin">{t('consent.ownOptOutWarning', { name: contact.name })}</p>
            <label className="checkbox-label">
              <input type="checkbox" data-testid="confirm-own-opt-out" checked={confirmOwn} onChange={(e) => setConfirmOwn(e.target.checked)} />
              {t('consent.confirmOwnOptOut')}
            </label>
          </div>
        )}
        {error && (
          <p role="alert" className="error" data-testid="dialog-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button
            type="submit"
            className={subscribing ? 'primary' : 'danger'}
            data-testid="consent-submit"
            disabled={busy || (needsConfirmation && !confirmOwn)}
          >
            {t(`consent.action_${row.action}`)}
          </button>
        </div>
      </form>
    </Modal>
  );
}
