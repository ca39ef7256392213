import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ReadOnlyBanner } from './components/ReadOnlyBanner';
import { Shell } from './components/Shell';
import { ProfilePicker } from './pages/ProfilePicker';
import { useSession } from './stores/session-store';

export function App() {
  const { t } = useTranslation();
  const { status, user, error, load } = useSession();

  useEffect(() => {
    void load();
  }, [load]);

  if (status === 'loading') return <p className="center-note" role="status">{t('app.loading')}</p>;
  if (status === 'error')
    return (
      <div className="center-note" role="alert">
        <h1>{t('app.errorTitle')}</h1>
        <p>{error}</p>
        <button onClick={() => void load()}>{t('app.retry')}</button>
      </div>
    );
  return (
    <>
      <ReadOnlyBanner />
      {user ? <Shell /> : <ProfilePicker />}
    </>
  );
}
