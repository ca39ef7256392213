import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncState } from '../../../shared/api/sync-channels';
import { formatDateTime } from '../format';
import { useSync } from '../stores/sync-store';

// Existing note styles carry the tone; no styles of its own to keep in step.
const TONE: Record<SyncState, string> = {
  off: 'muted',
  connecting: 'muted',
  syncing: 'ok-note',
  in_sync: 'ok-note',
  offline: 'warn-note',
  error: 'error',
};

// The small top-bar indicator: online/offline, pending changes, last sync, last problem.
export function SyncStatus() {
  const { t } = useTranslation();
  const status = useSync((s) => s.status);
  const refreshStatus = useSync((s) => s.refreshStatus);
  const follow = useSync((s) => s.follow);

  useEffect(() => {
    const stop = follow();
    refreshStatus().catch(() => undefined);
    return stop;
  }, [follow, refreshStatus]);

  if (!status || !status.configured) return null;
  const problem = status.state === 'error' || status.state === 'offline' ? status.lastError : null;
  const details = [
    status.pending > 0 ? t('sync.pending', { count: status.pending }) : '',
    status.lastSyncAt ? t('sync.lastSync', { time: formatDateTime(status.lastSyncAt) }) : t('sync.neverSynced'),
    problem ? t(`sync.problem_${problem.kind}`) : '',
  ].filter(Boolean);
  return (
    <span
      className={`sync-status small nowrap ${TONE[status.state]}`}
      role="status"
      aria-live="polite"
      aria-label={t('sync.statusLabel')}
      data-testid="sync-status"
      data-state={status.state}
      title={details.join(' · ')}
    >
      <span aria-hidden="true">●</span> {t(`sync.state_${status.state}`)}
      {status.pending > 0 && <span data-testid="sync-pending"> · {status.pending}</span>}
      <span className="visually-hidden"> {details.join('. ')}</span>
    </span>
  );
}
