import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErasureOutcome, ErasureStatus } from '../../../../shared/api/erasure-channels';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatDateTime } from '../../format';

// Erasure of the contact's personal data (GDPR Art. 17) from the contact page: compliance
// officers and admins (main enforces it too). Two steps and a required reason, since it
// cannot be undone; once erased, the record of who erased it and why is shown instead.
export function ErasureAction({ contactId, onErased }: { contactId: string; onErased: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ErasureStatus | null>(null);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [outcome, setOutcome] = useState<ErasureOutcome | null>(null);

  useEffect(() => {
    let live = true;
    void must('erasure:status', { contactId }).then((s) => live && setStatus(s), () => undefined);
    return () => {
      live = false;
    };
  }, [contactId, outcome]);

  const erase = async () => {
    setBusy(true);
    setError('');
    try {
      const result = await must('erasure:eraseContact', { contactId, reason });
      setOutcome(result);
      setOpen(false);
      onErased();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card stack" data-testid="erasure">
      <h2>{t('erasure.title')}</h2>
      {status?.erased ? (
        <p className="ok-note" role="status" data-testid="erasure-note">
          {t('erasure.erasedNote', { at: formatDateTime(status.erasedAt), by: status.actorName, reason: status.reason })}
        </p>
      ) : (
        <p className="muted small">{t('erasure.intro')}</p>
      )}
      {outcome && (
        <p role="status" data-testid="erasure-done">
          {t('erasure.done', { events: outcome.events, messages: outcome.inboundMessages, reviews: outcome.reviewItems })}
          {outcome.legacyEvents > 0 && ` ${t('erasure.legacy', { count: outcome.legacyEvents })}`}
        </p>
      )}
      {!status?.erased && !open && (
        <div className="toolbar">
          <button type="button" className="danger" data-testid="erasure-start" onClick={() => setOpen(true)}>
            {t('erasure.start')}
          </button>
        </div>
      )}
      {open && (
        <div className="stack">
          <label>
            {t('erasure.reason')}
            <input data-testid="erasure-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="toolbar">
            <button type="button" className="danger" data-testid="erasure-confirm" disabled={busy || reason.trim() === ''} onClick={() => void erase()}>
              {t('erasure.confirm')}
            </button>
            <button type="button" data-testid="erasure-cancel" disabled={busy} onClick={() => setOpen(false)}>
              {t('erasure.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
