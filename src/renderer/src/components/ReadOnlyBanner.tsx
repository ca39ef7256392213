import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoreModeView } from '../../../shared/api/store-channels';
import { call } from '../api/client';
import './read-only-banner.css';

// The app started read-only on a full disk (store:mode): said at the top of every page,
// before sign-in too, since every save will be refused until space is freed and it restarts.
export function ReadOnlyBanner() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<StoreModeView | null>(null);
  useEffect(() => {
    let live = true;
    void call('store:mode', {}).then((result) => {
      if (live && result.ok) setMode(result.value);
    });
    return () => {
      live = false;
    };
  }, []);
  if (!mode?.readOnly) return null;
  return (
    <p className="read-only-banner" role="alert" data-testid="read-only-banner">
      <strong>{t('readOnlyStart.title')}</strong>
      <span>{t('readOnlyStart.body')}</span>
    </p>
  );
}
