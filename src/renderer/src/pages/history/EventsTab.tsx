import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriptionType } from '../../../../shared/domain';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatDateTime, formatNumber } from '../../format';
import { HISTORY_PAGE_SIZE, useHistory } from '../../stores/history-store';
import { useRoute } from '../../stores/route-store';
import { downloadExport } from '../../components/download';
import { HistoryFileExport } from './HistoryFileExport';
import { HistoryFilters } from './HistoryFilters';
import { TimelineChart } from './TimelineChart';

function Counts({ title, counts, label, testId }: { title: string; counts: Record<string, number>; label: (k: string) => string; testId: string }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <div className="count-list" data-testid={testId}>
      <h3>{title}</h3>
      <ul>
        {entries.map(([k, n]) => (
          <li key={k}>
            <span>{label(k)}</span> <strong>{formatNumber(n)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function EventsTab() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const { filter, rows, total, offset, stats, status, error, setOffset, setFilter } = useHistory();
  const [types, setTypes] = useState<SubscriptionType[]>([]);
  const [busy, setBusy] = useState('');
  const [actionError, setActionError] = useState('');
  const [semicolon, setSemicolon] = useState(false);

  useEffect(() => {
    void must('types:list', { includeArchived: true }).then(setTypes);
  }, []);
  const typeNames = new Map(types.map((ty) => [ty.id, ty.name]));

  const run = async (key: string, job: () => Promise<void>) => {
    setBusy(key);
    setActionError('');
    try {
      await job();
    } catch (e) {
      setActionError(errorText(t, e));
    } finally {
      setBusy('');
    }
  };
  const proof = (contactId: string, kind: 'pdf' | 'json') =>
    run(`proof-${kind}-${contactId}`, async () => {
      if (kind === 'pdf') downloadExport(await must('history:proofPdf', { contactId }));
      else {
        const p = await must('history:proof', { contactId });
        const content = JSON.stringify(p, null, 2);
        downloadExport({ fileName: `consent-proof-${p.sha256.slice(0, 12)}.json`, mimeType: 'application/json', encoding: 'utf8', content });
      }
    });

  const last = Math.min(offset + HISTORY_PAGE_SIZE, total);
  return (
    <div className="stack">
      <HistoryFilters types={types} />
      <div className="toolbar">
        <span className="muted" role="status" data-testid="history-total">
          {t('history.total', { count: total, formatted: formatNumber(total) })}
        </span>
        <span className="spacer" />
        {filter.contactId && (
          <>
            <button data-testid="proof-json" disabled={!!busy} onClick={() => void proof(filter.contactId, 'json')}>{t('history.proofJson')}</button>
            <button data-testid="proof-pdf" disabled={!!busy} onClick={() => void proof(filter.contactId, 'pdf')}>{t('history.proofPdf')}</button>
          </>
        )}
        <label className="inline-check">
          <input type="checkbox" data-testid="history-export-semicolon" checked={semicolon} onChange={(e) => setSemicolon(e.target.checked)} />
          {t('bulk.exportSemicolon')}
        </label>
        <button
          data-testid="export-csv"
          disabled={!!busy || total === 0}
          onClick={() => void run('csv', async () => downloadExport(await must('history:exportCsv', { ...filter, delimiter: semicolon ? ';' : ',' })))}
        >
          {t('history.exportCsv')}
        </button>
        <button data-testid="export-jsonl" disabled={!!busy || total === 0} onClick={() => void run('jsonl', async () => downloadExport(await must('history:exportJsonl', filter)))}>
          {t('history.exportJsonl')}
        </button>
      </div>
      <HistoryFileExport filter={filter} delimiter={semicolon ? ';' : ','} total={total} />
      {busy && <p className="muted" role="status">{t('history.preparing')}</p>}
      {actionError && <p role="alert" className="error">{actionError}</p>}
      {status === 'error' && <p role="alert" className="error">{error}</p>}
      {stats && (
        <div className="history-summary card">
          <TimelineChart points={stats.timeline} typeNames={typeNames} />
          <Counts title={t('history.bySource')} counts={stats.bySource} label={(k) => t(`historySources.${k}`, { defaultValue: k })} testId="counts-source" />
          <Counts title={t('history.byLegalBasis')} counts={stats.byLegalBasis} label={(k) => (k ? t(`historyBases.${k}`, { defaultValue: k }) : t('history.noBasis'))} testId="counts-basis" />
        </div>
      )}
      {status === 'ready' && total === 0 ? (
        <p className="empty-state" data-testid="history-empty">{t('history.empty')}</p>
      ) : (
        <div className="table" role="table" aria-label={t('history.table')} aria-rowcount={total}>
          <div className="history-row table-head" role="row">
            <span role="columnheader">{t('history.when')}</span>
            <span role="columnheader">{t('history.contact')}</span>
            <span role="columnheader">{t('history.type')}</span>
            <span role="columnheader">{t('history.change')}</span>
            <span role="columnheader">{t('history.sourceAndBasis')}</span>
            <span role="columnheader">{t('history.actor')}</span>
            <span role="columnheader">{t('history.explanation')}</span>
            <span role="columnheader">{t('history.proof')}</span>
          </div>
          {rows.map((r) => (
            <div className="history-row" role="row" key={r.id} data-testid="history-row">
              <span role="cell" title={`${t('history.recordedAt')} ${formatDateTime(r.recordedAt)} · ${r.deviceId} #${r.seq}`}>{formatDateTime(r.occurredAt)}</span>
              <span role="cell">
                <a href={`#/contacts/${encodeURIComponent(r.contactId)}`} data-testid="history-contact-link" onClick={(e) => { e.preventDefault(); go({ page: 'contact', id: r.contactId }); }}>
                  {r.contactName || r.contactId}
                </a>{' '}
                <button className="link-button" aria-label={t('history.onlyThisContact', { name: r.contactName })} data-testid="history-filter-contact" onClick={() => setFilter({ contactId: r.contactId })}>
                  ⌕
                </button>
              </span>
              <span role="cell">{r.typeName}</span>
              <span role="cell">
                {t(`historyStatuses.${r.previousStatus}`)} → <strong>{t(`historyStatuses.${r.status}`)}</strong>
              </span>
              <span role="cell">
                {t(`historySources.${r.source}`, { defaultValue: r.source })}
                <small className="muted">{r.legalBasis ? t(`historyBases.${r.legalBasis}`) : t('history.noBasis')}</small>
              </span>
              <span role="cell">{r.actor.name}</span>
              <span role="cell" className="clamp" title={r.explanation}>{r.explanation}</span>
              <span role="cell">
                <button className="link-button" data-testid="row-proof-pdf" aria-label={t('history.proofPdfFor', { name: r.contactName })} disabled={!!busy} onClick={() => void proof(r.contactId, 'pdf')}>
                  PDF
                </button>
              </span>
            </div>
          ))}
        </div>
      )}
      {total > HISTORY_PAGE_SIZE && (
        <div className="toolbar" role="navigation" aria-label={t('history.paging')}>
          <button data-testid="history-prev" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - HISTORY_PAGE_SIZE))}>{t('history.prev')}</button>
          <span className="muted">{t('history.range', { from: formatNumber(offset + 1), to: formatNumber(last), total: formatNumber(total) })}</span>
          <button data-testid="history-next" disabled={last >= total} onClick={() => setOffset(offset + HISTORY_PAGE_SIZE)}>{t('history.next')}</button>
        </div>
      )}
    </div>
  );
}
