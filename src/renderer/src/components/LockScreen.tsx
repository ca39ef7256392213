import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './errors';
import { useSession } from '../stores/session-store';

// Over everything, open dialogs included: a modal <dialog> opened last sits on top of the
// browser's top layer, and the app under it stays mounted, so typed input survives the lock.
export function LockScreen() {
  const { t } = useTranslation();
  const { user, unlock, signOut } = useSession();
  const ref = useRef<HTMLDialogElement>(null);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      await unlock(secret);
    } catch (err) {
      setSecret('');
      setError(errorText(t, err));
    }
  };

  return (
    <dialog ref={ref} className="lock-screen" aria-labelledby="lock-title" data-testid="lock-screen" onCancel={(e) => e.preventDefault()}>
      <form className="picker-card stack" onSubmit={submit}>
        <h1 id="lock-title">{t('access.lockedTitle')}</h1>
        <p className="muted">{t('access.lockedIntro', { name: user?.name ?? '' })}</p>
        <label>
          {t('access.secret')}
          <input type="password" data-testid="unlock-secret" value={secret} onChange={(e) => setSecret(e.target.value)} required autoFocus autoComplete="current-password" />
        </label>
        {error && <p role="alert" className="error" data-testid="unlock-error">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary" data-testid="unlock-submit">{t('access.unlock')}</button>
          <button type="button" data-testid="lock-switch-user" onClick={() => void signOut()}>{t('app.signOut')}</button>
        </div>
      </form>
    </dialog>
  );
}
