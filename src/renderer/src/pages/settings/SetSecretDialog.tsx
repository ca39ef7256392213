import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../shared/domain';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { Modal } from '../../components/Modal';
import { NewSecretFields } from '../../components/NewSecretFields';

// Sets a profile's PIN or passphrase: your own needs your current one; an admin resets others'.
export function SetSecretDialog({ user, self, onClose, onSaved }: { user: User; self: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [secret, setSecret] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (secret !== confirm) return setError(t('access.mismatch'));
    try {
      await must('users:setSecret', { userId: user.id, secret, ...(self ? { currentSecret: current } : {}) });
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <Modal title={t('access.setSecretFor', { name: user.name })} onClose={onClose} testId="set-secret-dialog">
      <form className="stack" onSubmit={submit}>
        {self && (
          <label>
            {t('access.currentSecret')}
            <input type="password" data-testid="set-secret-current" value={current} onChange={(e) => setCurrent(e.target.value)} required autoComplete="current-password" />
          </label>
        )}
        <NewSecretFields
          label={t('access.newSecret')}
          hint={t('access.secretHint')}
          secret={secret}
          onSecret={setSecret}
          testId="set-secret-new"
          confirm={{ value: confirm, onChange: setConfirm, testId: 'set-secret-confirm' }}
        />
        {error && <p role="alert" className="error" data-testid="set-secret-error">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary" data-testid="set-secret-save">{t('app.save')}</button>
          <button type="button" onClick={onClose}>{t('app.cancel')}</button>
        </div>
      </form>
    </Modal>
  );
}
