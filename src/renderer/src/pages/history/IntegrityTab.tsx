import { useTranslation } from 'react-i18next';
import { INTEGRITY_CATEGORIES } from '../../../../shared/api/history-channels';
import { formatDateTime, formatNumber } from '../../format';
import { useHistory } from '../../stores/history-store';
import { SignedHeadsNote } from './SignedHeadsNote';

// `onShowSyncProblems` opens History → Sync problems; absent for those who may not see it.
export function IntegrityTab({ onShowSyncProblems }: { onShowSyncProblems?: () => void }) {
  const { t } = useTranslation();
  const { integrity, runIntegrity, cancelIntegrity } = useHistory();
  const { report } = integrity;
  // "1 device", "2 devices": the counts carry their own plural forms.
  const counted = report
    ? {
        events: t('counts.events', { count: report.events, formatted: formatNumber(report.events) }),
        devices: t('counts.devices', { count: report.devices, formatted: formatNumber(report.devices) }),
      }
    : {};
  return (
    <div className="stack">
      <p className="muted">{t('history.integrityIntro')}</p>
      <div className="toolbar">
        <button className="primary" data-testid="integrity-run" disabled={integrity.status === 'loading'} onClick={() => void runIntegrity()}>
          {t('history.integrityRun')}
        </button>
        {integrity.status === 'loading' && (
          <span role="status" className="muted" data-testid="integrity-progress">
            {t('history.integrityProgress', { done: formatNumber(integrity.done), total: formatNumber(integrity.total) })}
          </span>
        )}
        {integrity.status === 'loading' && (
          <button data-testid="integrity-cancel" onClick={() => void cancelIntegrity()}>
            {t('app.cancel')}
          </button>
        )}
      </div>
      {integrity.status === 'error' && <p role="alert" className="error">{integrity.error}</p>}
      {report && (
        <div className="card stack" data-testid="integrity-report">
          <p role="status" className={report.ok ? 'ok-note' : 'error'} data-testid="integrity-verdict">
            {report.ok
              ? t('history.integrityOk', counted)
              : t('history.integrityBad', counted)}
          </p>
          <p className="muted">
            {t('history.integrityWhen', { at: formatDateTime(report.checkedAt), ms: formatNumber(report.durationMs) })}
          </p>
          <ul className="integrity-counts">
            {INTEGRITY_CATEGORIES.map((c) => (
              <li key={c} data-testid={`integrity-count-${c}`}>
                {t(`historyCategories.${c}`)}: <strong>{formatNumber(report.counts[c])}</strong>
              </li>
            ))}
          </ul>
          {report.issues.length > 0 && (
            <ol className="integrity-issues" aria-label={t('history.integrityIssues')}>
              {report.issues.map((i) => (
                <li key={`${i.kind}:${i.deviceId}:${i.eventId}:${i.seq}`} data-testid="integrity-issue" data-category={i.category}>
                  <strong>{t(`historyCategories.${i.category}`)}</strong> · <code>{i.eventId || '—'}</code> — {i.message}
                </li>
              ))}
            </ol>
          )}
          {report.quarantined > 0 && (
            <p className="warn-note" data-testid="integrity-quarantined">
              {onShowSyncProblems ? (
                <button className="link-button" data-testid="integrity-sync-problems" onClick={onShowSyncProblems}>
                  {t('syncProblems.linkFromIntegrity', { count: report.quarantined, formatted: formatNumber(report.quarantined) })}
                </button>
              ) : (
                t('syncProblems.linkFromIntegrity', { count: report.quarantined, formatted: formatNumber(report.quarantined) })
              )}
            </p>
          )}
          {report.truncated && <p className="warn-note">{t('history.integrityTruncated')}</p>}
          <p data-testid="integrity-signatures" className={report.signatures.failing > 0 ? 'error' : undefined}>
            {t('devices.signatures', {
              signed: formatNumber(report.signatures.signed),
              legacy: formatNumber(report.signatures.legacyUnsigned),
              failing: formatNumber(report.signatures.failing),
            })}
          </p>
          {report.signedHeads && <SignedHeadsNote check={report.signedHeads} />}
          <details>
            <summary>{t('history.integrityHeads')}</summary>
            <ul className="mono-list">
              {report.heads.map((h) => (
                <li key={h.deviceId}>
                  {h.deviceId} · #{h.seq} · <code>{h.hash}</code>
                </li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </div>
  );
}
