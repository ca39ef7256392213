import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LifecycleSettings, RefusedCheckCounts } from '../../../../shared/api/lifecycle-channels';
import { MAX_RETENTION_DAYS } from '../../../../shared/api/lifecycle-channels';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';

// Data-subject settings: recording refused may-I-message checks, and how long inbound
// message bodies are kept. Anyone sees them and the count; only an admin changes them.
export function LifecycleSettingsForm({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<LifecycleSettings | null>(null);
  const [counts, setCounts] = useState<RefusedCheckCounts | null>(null);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    Promise.all([must('lifecycle:getSettings', {}), must('lifecycle:refusedChecks', {})])
      .then(([s, c]) => {
        setValues(s);
        setCounts(c);
      })
      .catch((e: unknown) => setError(errorText(t, e)));
  }, [t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!values) return;
    setError('');
    setSaved(false);
    try {
      setValues(await must('lifecycle:setSettings', values));
      setSaved(true);
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <form className="card stack narrow-form" onSubmit={submit} data-testid="lifecycle-settings">
      <h2>{t('lifecycle.settingsTitle')}</h2>
      {!values && !error && <p role="status">{t('app.loading')}</p>}
      {values && (
        <>
          <label className="checkbox-label">
            <input
              type="checkbox"
              data-testid="record-refused"
              checked={values.recordRefusedChecks}
              disabled={!isAdmin}
              onChange={(e) => setValues({ ...values, recordRefusedChecks: e.target.checked })}
            />
            {t('lifecycle.recordRefused')}
          </label>
          {counts && <p className="muted small" data-testid="refused-count">{t('lifecycle.refusedCount', { count: counts.total })}</p>}
          <label>
            {t('lifecycle.retentionDays')}
            <input
              type="number"
              data-testid="retention-days"
              min={1}
              max={MAX_RETENTION_DAYS}
              step={1}
              required
              readOnly={!isAdmin}
              aria-describedby="retention-hint"
              value={Number.isNaN(values.inboundRetentionDays) ? '' : values.inboundRetentionDays}
              onChange={(e) => setValues({ ...values, inboundRetentionDays: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
            />
          </label>
          <small id="retention-hint" className="muted">{t('lifecycle.retentionHint')}</small>
        </>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {saved && <p role="status" className="ok-note">{t('contact.saved')}</p>}
      {isAdmin && values && (
        <div>
          <button type="submit" className="primary" data-testid="lifecycle-save">{t('app.save')}</button>
        </div>
      )}
    </form>
  );
}
