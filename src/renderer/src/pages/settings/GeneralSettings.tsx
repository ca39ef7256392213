import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { LifecycleSettingsForm } from './LifecycleSettingsForm';

// Language (per window, any role) and the default country for phone numbers (admin).
export function GeneralSettings({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const [country, setCountry] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    must('settings:get', {})
      .then((s) => {
        setCountry(s.defaultCountry);
        setLoaded(true);
      })
      .catch((e: unknown) => setError(errorText(t, e)));
  }, [t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setSaved(false);
    try {
      const s = await must('settings:set', { defaultCountry: country.trim().toUpperCase() });
      setCountry(s.defaultCountry);
      setSaved(true);
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <div className="stack">
      <div className="card stack">
        <h2>{t('settings.languageTitle')}</h2>
        <LanguageSwitch />
      </div>
      <form className="card stack narrow-form" onSubmit={submit} data-testid="general-settings">
        <h2>{t('settings.countryTitle')}</h2>
        <p className="muted">{t('settings.countryHelp')}</p>
        {!loaded && !error && <p role="status">{t('app.loading')}</p>}
        <label>
          {t('settings.defaultCountry')}
          <input
            data-testid="default-country"
            value={country}
            maxLength={2}
            readOnly={!isAdmin}
            onChange={(e) => setCountry(e.target.value.toUpperCase())}
            aria-describedby="country-hint"
          />
        </label>
        <small id="country-hint" className="muted">{t('settings.countryHint')}</small>
        {error && <p role="alert" className="error" data-testid="general-error">{error}</p>}
        {saved && <p role="status" className="ok-note">{t('contact.saved')}</p>}
        {isAdmin && (
          <div>
            <button type="submit" className="primary" data-testid="general-save">{t('app.save')}</button>
          </div>
        )}
      </form>
      <LifecycleSettingsForm isAdmin={isAdmin} />
    </div>
  );
}
