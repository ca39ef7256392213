import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuarantinedDocument } from '../../../../shared/api/sync-trust-channels';
import { formatDateTime, formatNumber } from '../../format';
import { useSyncProblems } from '../../stores/sync-problems-store';

type T = ReturnType<typeof useTranslation>['t'];

// main's waitingFor slots (arrival-checks.ts) in words: "event:<device>:<seq>", "contact:<id>", "device:<id>", "user:<id>".
function waitingInWords(t: T, slot: string): string {
  const event = /^event:(.+):(\d+)$/.exec(slot);
  if (event) return t('syncProblems.waitsForEvent', { device: event[1], seq: event[2] });
  if (slot.startsWith('contact:')) return t('syncProblems.waitsForContact', { contact: slot.slice('contact:'.length) });
  if (slot.startsWith('device:')) return t('syncProblems.waitsForDevice', { device: slot.slice('device:'.length) });
  if (slot.startsWith('user:')) return t('syncProblems.waitsForUser', { user: slot.slice('user:'.length) });
  return slot === '' ? t('syncProblems.waitsForNothing') : slot;
}

// A reason or kind this version has no words for (a newer device's) is shown as main gave it.
const inWords = (t: T, group: 'syncProblemReasons' | 'syncProblemCollections', key: string) => t(`${group}.${key}`, { defaultValue: key });

function ProblemRow({ item }: { item: QuarantinedDocument }) {
  const { t } = useTranslation();
  return (
    <tr data-testid="sync-problem" data-doc-id={item.docId} data-reason={item.reason}>
      <td>{inWords(t, 'syncProblemCollections', item.collection)}</td>
      <td className="wrap">
        <code>{item.docId}</code>
        <details>
          <summary>{t('syncProblems.showDocument')}</summary>
          <pre className="excerpt">{item.excerpt}</pre>
        </details>
      </td>
      <td className="wrap">
        <strong>{inWords(t, 'syncProblemReasons', item.reason)}</strong>
        {/* main words its details in English */}
        <div className="muted" lang="en">{item.detail}</div>
      </td>
      <td>
        <div>{t('syncProblems.firstSeen', { at: formatDateTime(item.firstSeenAt) })}</div>
        <div className="muted">{t('syncProblems.lastChecked', { at: formatDateTime(item.lastCheckedAt) })}</div>
      </td>
      <td className="wrap">{waitingInWords(t, item.waitingFor)}</td>
    </tr>
  );
}

// History → Sync problems (SPEC 13, issue 25): what the arrival checks kept aside on this device.
export function SyncProblemsTab() {
  const { t } = useTranslation();
  const { status, items, error, rechecking, recheckedAt, load, recheck } = useSyncProblems();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="stack">
      <p className="muted">{t('syncProblems.intro')}</p>
      <div className="toolbar">
        <button className="primary" data-testid="sync-problems-recheck" disabled={rechecking} onClick={() => void recheck()}>
          {rechecking ? t('syncProblems.rechecking') : t('syncProblems.recheck')}
        </button>
        <span role="status" className="muted" data-testid="sync-problems-count">
          {status === 'ready' && t('syncProblems.count', { count: items.length, formatted: formatNumber(items.length) })}
          {recheckedAt && ` · ${t('syncProblems.recheckedAt', { at: formatDateTime(recheckedAt) })}`}
        </span>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {status === 'ready' && items.length === 0 && <p className="ok-note" data-testid="sync-problems-none">{t('syncProblems.none')}</p>}
      {items.length > 0 && (
        <table className="data-table" aria-label={t('syncProblems.table')} data-testid="sync-problems-table">
          <thead>
            <tr>
              <th scope="col">{t('syncProblems.colCollection')}</th>
              <th scope="col">{t('syncProblems.colDocument')}</th>
              <th scope="col">{t('syncProblems.colReason')}</th>
              <th scope="col">{t('syncProblems.colWhen')}</th>
              <th scope="col">{t('syncProblems.colWaiting')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <ProblemRow key={`${item.collection}:${item.docId}`} item={item} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
