import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SYNC_PROBLEM_VIEWERS as SYNC_PROBLEM_ROLES } from '../../../../shared/api/sync-trust-channels';
import { onAppEvent } from '../../api/client';
import { useSession } from '../../stores/session-store';
import { useHistory } from '../../stores/history-store';
import { useReview } from '../../stores/review-store';
import { AuditTab } from './AuditTab';
import { EventsTab } from './EventsTab';
import { IntegrityTab } from './IntegrityTab';
import { RepermissionTab } from './RepermissionTab';
import { ReviewTab } from './ReviewTab';
import { SyncProblemsTab } from './SyncProblemsTab';

const TABS = ['events', 'integrity', 'review', 'audit', 'repermission', 'syncProblems'] as const;
type Tab = (typeof TABS)[number];
// Sync problems are for compliance officers and admins (main refuses the others too).
const SYNC_PROBLEM_VIEWERS: readonly string[] = SYNC_PROBLEM_ROLES;

// The compliance officer's desk (SPEC 8): account-wide history, integrity, review, audit.
export function HistoryPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('events');
  const open = useReview((s) => s.open);
  const role = useSession((s) => s.user?.role ?? '');
  const tabs = TABS.filter((name) => name !== 'syncProblems' || SYNC_PROBLEM_VIEWERS.includes(role));

  useEffect(() => {
    void useHistory.getState().refresh();
    void useReview.getState().refresh();
    return onAppEvent((event) => {
      if (event.type === 'consent:changed') void useHistory.getState().refresh();
      if (event.type === 'review:changed') void useReview.getState().refresh();
      if (event.type === 'progress' && event.kind === 'integrity') useHistory.getState().noteIntegrityProgress(event.done, event.total);
    });
  }, []);

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length] ?? 'events';
    setTab(next);
    document.getElementById(`history-tab-${next}`)?.focus();
  };

  return (
    <section className="history-page stack" aria-labelledby="history-title">
      <div className="page-header">
        <h1 id="history-title">{t('history.title')}</h1>
      </div>
      <div role="tablist" aria-label={t('history.sections')} className="tabs" onKeyDown={onKey}>
        {tabs.map((name) => (
          <button
            key={name}
            id={`history-tab-${name}`}
            role="tab"
            aria-selected={tab === name}
            aria-controls={`history-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            data-testid={`history-tab-${name}`}
            className={tab === name ? 'tab active' : 'tab'}
            onClick={() => setTab(name)}
          >
            {name === 'syncProblems' ? t('syncProblems.tab') : t(`historyTabs.${name}`)}
            {name === 'review' && open > 0 ? ` (${open})` : ''}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`history-panel-${tab}`} aria-labelledby={`history-tab-${tab}`}>
        {tab === 'events' && <EventsTab />}
        {tab === 'integrity' && <IntegrityTab onShowSyncProblems={tabs.includes('syncProblems') ? () => setTab('syncProblems') : undefined} />}
        {tab === 'review' && <ReviewTab />}
        {tab === 'audit' && <AuditTab />}
        {tab === 'repermission' && <RepermissionTab />}
        {tab === 'syncProblems' && tabs.includes('syncProblems') && <SyncProblemsTab />}
      </div>
    </section>
  );
}
