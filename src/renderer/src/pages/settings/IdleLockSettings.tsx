import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES } from '../../../../shared/api/users-channels';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';

// After how many idle minutes windows on this device lock (admin only; main refuses others).
export function IdleLockSettings() {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState('');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    void must('session:status', {}).then((s) => setMinutes(String(s.idleLockMinutes)), (e: unknown) => setError(errorText(t, e)));
  }, [t]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setNotice('');
    try {
      const saved = await must('session:setIdleLock', { minutes: Number(minutes) });
      setNotice(t('access.idleLockSaved', { minutes: saved.idleLockMinutes }));
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <form className="card stack narrow-form" onSubmit={save} data-testid="idle-lock-form">
      <label>
        {t('access.idleLock')}
        <input type="number" data-testid="idle-lock-minutes" min={MIN_IDLE_LOCK_MINUTES} max={MAX_IDLE_LOCK_MINUTES} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="ok-note">{notice}</p>}
      <div>
        <button type="submit" className="primary" data-testid="idle-lock-save">{t('app.save')}</button>
      </div>
    </form>
  );
}
