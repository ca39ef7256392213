import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../components/errors';
import { warmFormats } from '../format';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from '../stores/session-store';

// Start screen: pick the active profile, or create the first administrator.
export function ProfilePicker() {
  const { t } = useTranslation();
  const { users, signIn, createUser } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    const timer = setTimeout(warmFormats, 0);
    return () => clearTimeout(timer);
  }, []);

  const createFirst = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const user = await createUser(name, 'admin');
      await signIn(user.id);
    } catch (err) {
      setError(errorText(t, err));
    }
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
        {users.length === 0 ? (
          <form onSubmit={createFirst} className="stack" data-testid="first-user-form">
            <p>{t('profiles.empty')}</p>
            <label>
              {t('profiles.name')}
              <input data-testid="first-user-name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
            </label>
            {error && <p role="alert" className="error">{error}</p>}
            <button type="submit" className="primary" data-testid="first-user-create">
              {t('profiles.createFirst')}
            </button>
          </form>
        ) : (
          <ul className="profile-list">
            {users.map((u) => (
              <li key={u.id}>
                <button
                  className="profile"
                  data-testid={`profile-${u.name}`}
                  aria-label={t('profiles.pick', { name: u.name })}
                  onClick={() => void signIn(u.id)}
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
        )}
        <LanguageSwitch />
      </div>
    </div>
  );
}
