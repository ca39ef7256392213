import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/domain';
import { errorText } from '../components/errors';
import { warmFormats } from '../format';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NewSecretFields } from '../components/NewSecretFields';
import { useSession } from '../stores/session-store';
import { SecretSignIn } from './SecretSignIn';

// Start screen: pick the active profile and give its secret, or create the first administrator.
export function ProfilePicker() {
  const { t } = useTranslation();
  const { users, signIn, createUser } = useSession();
  const [picked, setPicked] = useState<User | null>(null);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    const timer = setTimeout(warmFormats, 0);
    return () => clearTimeout(timer);
  }, []);

  const createFirst = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (secret !== confirm) return setError(t('access.mismatch'));
    try {
      const user = await createUser(name, 'admin', secret);
      await signIn(user.id, secret);
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  const body = () => {
    if (users.length === 0) {
      return (
        <form onSubmit={createFirst} className="stack" data-testid="first-user-form">
          <p>{t('profiles.empty')}</p>
          <label>
            {t('profiles.name')}
            <input data-testid="first-user-name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
          </label>
          <NewSecretFields
            label={t('access.passphrase')}
            hint={t('access.firstSecretHint')}
            secret={secret}
            onSecret={setSecret}
            testId="first-user-secret"
            confirm={{ value: confirm, onChange: setConfirm, testId: 'first-user-secret-confirm' }}
          />
          {error && <p role="alert" className="error" data-testid="first-user-error">{error}</p>}
          <button type="submit" className="primary" data-testid="first-user-create">
            {t('profiles.createFirst')}
          </button>
        </form>
      );
    }
    if (picked) return <SecretSignIn user={picked} onBack={() => setPicked(null)} />;
    return (
      <ul className="profile-list">
        {users.map((u) => (
          <li key={u.id}>
            <button
              className="profile"
              data-testid={`profile-${u.name}`}
              aria-label={t('profiles.pick', { name: u.name })}
              onClick={() => setPicked(u)}
            >
              <span className="avatar" aria-hidden="true">{u.name.slice(0, 1).toUpperCase()}</span>
              <span>
                <strong>{u.name}</strong>
                <small>{t(`roles.${u.role}`)}</small>
              </span>
            </button>
          </li>
        ))}
      </ul>
    );
  };

  return (
    <div className="picker">
      <div className="picker-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✓</span>
          <div>
            <strong>{t('app.name')}</strong>
            <small>{t('app.tagline')}</small>
          </div>
        </div>
        <h1>{t('profiles.title')}</h1>
        <p className="muted">{t('profiles.subtitle')}</p>
        {body()}
        <LanguageSwitch />
      </div>
    </div>
  );
}
