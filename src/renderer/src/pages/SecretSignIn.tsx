import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/domain';
import { errorText } from '../components/errors';
import { useSession } from '../stores/session-store';

// The secret step of the profile picker. On a store from before profile secrets an
// administrator sets the first passphrase here instead (session:setUp).
export function SecretSignIn({ user, onBack }: { user: User; onBack(): void }) {
  const { t } = useTranslation();
  const { secrets, signIn, setUp } = useSession();
  const [secret, setSecret] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const settingUp = secrets.setupNeeded && user.role === 'admin';
  const missing = !settingUp && secrets.withoutSecret.includes(user.id);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (settingUp && secret !== confirm) return setError(t('access.mismatch'));
    setBusy(true);
    try {
      await (settingUp ? setUp(user.id, secret) : signIn(user.id, secret));
    } catch (err) {
      setError(errorText(t, err));
      setSecret('');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack" data-testid="signin-form">
      <h2>{settingUp ? t('access.setUpTitle') : t('access.signInAs', { name: user.name })}</h2>
      {settingUp && <p>{t('access.setUpIntro')}</p>}
      {missing ? (
        <p role="alert" className="error" data-testid="signin-error">{t('access.noSecret', { name: user.name })}</p>
      ) : (
        <>
          <label>
            {settingUp ? t('access.passphrase') : t('access.secret')}
            <input
              type="password"
              data-testid="signin-secret"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              required
              autoFocus
              autoComplete={settingUp ? 'new-password' : 'current-password'}
            />
          </label>
          {settingUp && (
            <label>
              {t('access.confirm')}
              <input type="password" data-testid="signin-secret-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} required autoComplete="new-password" />
            </label>
          )}
          {error && <p role="alert" className="error" data-testid="signin-error">{error}</p>}
        </>
      )}
      <div className="row-actions">
        {!missing && (
          <button type="submit" className="primary" data-testid="signin-submit" disabled={busy}>
            {settingUp ? t('access.setUp') : t('access.signIn')}
          </button>
        )}
        <button type="button" data-testid="signin-back" onClick={onBack}>{t('access.back')}</button>
      </div>
    </form>
  );
}
