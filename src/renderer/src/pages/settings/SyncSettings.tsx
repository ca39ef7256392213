import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/errors';
import { SyncStatus } from '../../components/SyncStatus';
import { formatDateTime, formatNumber } from '../../format';
import { hasRole, useSession } from '../../stores/session-store';
import { useSync } from '../../stores/sync-store';

// Settings → Sync: server address, database, credentials, start/stop, connection test, status.
export function SyncSettings() {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const { config, status, check, loaded, load, save, start, stop, test, follow } = useSync();
  const isAdmin = hasRole(user, 'admin');
  const [url, setUrl] = useState('');
  const [database, setDatabase] = useState('consentdesk');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const stopFollowing = follow();
    load().catch((e: unknown) => setError(errorText(t, e)));
    return stopFollowing;
  }, [follow, load, t]);

  useEffect(() => {
    if (!config) return;
    setUrl(config.url);
    setDatabase(config.database);
    setUsername(config.username);
  }, [config]);

  const form = () => ({ url, database, username, ...(password ? { password } : config?.hasPassword ? {} : { password: '' }) });

  const run = async (action: () => Promise<unknown>, done = '') => {
    setError('');
    setNote('');
    setBusy(true);
    try {
      await action();
      setNote(done);
      setPassword('');
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => save(form()), t('sync.saved'));
  };

  const running = !!status && status.state !== 'off';
  return (
    <section aria-labelledby="sync-settings-title" className="narrow" data-testid="sync-settings">
      <div className="page-header">
        <h2 id="sync-settings-title">{t('sync.title')}</h2>
        <SyncStatus />
      </div>
      <p className="muted">{t('sync.intro')}</p>
      {status && <p className="muted" data-testid="data-encryption-note">{t(`dataEncryption.protection_${status.protection}`)}</p>}
      {!isAdmin && <p className="warn-note">{t('sync.adminOnly')}</p>}
      <form className="card stack" onSubmit={submit} aria-busy={busy}>
        <fieldset disabled={!isAdmin || busy || !loaded} className="stack plain-fieldset">
          <label>
            {t('sync.url')}
            <input data-testid="sync-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={t('sync.urlHint')} required />
          </label>
          <label>
            {t('sync.database')}
            <input data-testid="sync-database" value={database} onChange={(e) => setDatabase(e.target.value)} aria-describedby="sync-database-hint" required />
          </label>
          <small id="sync-database-hint" className="muted">{t('sync.databaseHint', { example: `${database || 'consentdesk'}-contacts` })}</small>
          <label>
            {t('sync.username')}
            <input data-testid="sync-username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
          </label>
          <label>
            {t('sync.password')}
            <input
              data-testid="sync-password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              aria-describedby="sync-password-note"
              placeholder={config?.hasPassword ? '••••••••' : ''}
            />
          </label>
          <small id="sync-password-note" className="muted">
            {config?.hasPassword ? `${t('sync.passwordKept')} ` : ''}
            {status ? t(`sync.protection_${status.protection}`) : ''}
          </small>
          <div className="toolbar">
            <button type="submit" className="primary" data-testid="sync-save">{t('sync.save')}</button>
            <button type="button" data-testid="sync-test" onClick={() => void run(() => test(form()))}>{t('sync.test')}</button>
            {running ? (
              <button type="button" data-testid="sync-stop" onClick={() => void run(stop)}>{t('sync.stop')}</button>
            ) : (
              <button type="button" data-testid="sync-start" disabled={!config} onClick={() => void run(start)}>{t('sync.start')}</button>
            )}
          </div>
        </fieldset>
        {error && <p role="alert" className="error" data-testid="sync-error">{error}</p>}
        {note && !error && <p role="status" className="ok-note" data-testid="sync-note">{note}</p>}
        {check && (
          <p role="status" className={check.ok ? 'ok-note' : 'error'} data-testid="sync-check">
            {check.ok
              ? t('sync.testOk', { count: formatNumber(check.docCount) })
              : check.missing.length
                ? t('sync.missing', { names: check.missing.join(', ') })
                : t(`sync.problem_${check.problem.kind}`)}
          </p>
        )}
      </form>
      {status && status.configured && (
        <dl className="card small" data-testid="sync-details">
          <dt>{t('sync.statusLabel')}</dt>
          <dd>{t(`sync.state_${status.state}`)}</dd>
          <dd>{status.pending > 0 ? t('sync.pending', { count: status.pending, formatted: formatNumber(status.pending) }) : ''}</dd>
          <dd>{status.lastSyncAt ? t('sync.lastSync', { time: formatDateTime(status.lastSyncAt) }) : t('sync.neverSynced')}</dd>
          {status.lastError && (
            <dd data-testid="sync-last-error">
              {t(`sync.problem_${status.lastError.kind}`)} ({formatDateTime(status.lastError.at)})
            </dd>
          )}
        </dl>
      )}
    </section>
  );
}
