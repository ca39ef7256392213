import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryPage } from '../../../../shared/api/consent-channels';
import type { SubscriptionType } from '../../../../shared/domain';
import { ALL_WHATSAPP_TYPE_ID } from '../../../../shared/domain';
import { RELAY_ATTRIBUTION } from '../../../../shared/relay/webhook-inbox';
import { must } from '../../api/client';
import { actorLabel } from '../../components/consent-labels';
import { errorText } from '../../components/errors';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatNumber } from '../../format';

const LIMIT = 20;

// Every consent event of one contact, newest first (SPEC 5), filterable by type, paged.
export function ContactHistoryTab({ contactId, types, version }: { contactId: string; types: SubscriptionType[]; version: number }) {
  const { t } = useTranslation();
  const [typeId, setTypeId] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    must('consent:history', { contactId, typeId, offset, limit: LIMIT })
      .then((p) => {
        if (!live) return;
        setPage(p);
        setError('');
      })
      .catch((e: unknown) => live && setError(errorText(t, e)));
    return () => {
      live = false;
    };
  }, [contactId, typeId, offset, version, t]);

  const typeName = (id: string, fallback: string) => (id === ALL_WHATSAPP_TYPE_ID ? t('optOutAll.typeName') : fallback);
  return (
    <div className="card stack" data-testid="history-tab">
      <div className="toolbar">
        <label className="inline-label">
          <span>{t('filters.type')}</span>
          <select
            data-testid="history-type"
            value={typeId}
            onChange={(e) => {
              setTypeId(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{t('filters.anyType')}</option>
            {types.map((type) => (
              <option key={type.id} value={type.id}>{type.name}</option>
            ))}
            <option value={ALL_WHATSAPP_TYPE_ID}>{t('optOutAll.typeName')}</option>
          </select>
        </label>
        {page && <span className="muted" role="status">{t('contactHistory.count', { count: page.total, formatted: formatNumber(page.total) })}</span>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!page && !error && <p role="status" className="muted">{t('app.loading')}</p>}
      {page && page.total === 0 && <p className="empty-state" data-testid="history-empty">{t('contactHistory.empty')}</p>}
      {page && page.total > 0 && (
        // A wide table scrolls sideways in a narrow window: the keyboard must be able to scroll it too.
        <div className="scroll-x" tabIndex={0} role="region" aria-label={t('contactHistory.caption')}>
          <table className="data-table" data-testid="history-table">
            <caption className="visually-hidden">{t('contactHistory.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contactHistory.type')}</th>
                <th scope="col">{t('contactHistory.change')}</th>
                <th scope="col">{t('contactHistory.legalBasis')}</th>
                <th scope="col">{t('contactHistory.explanation')}</th>
                <th scope="col">{t('contactHistory.time')}</th>
                <th scope="col">{t('contactHistory.who')}</th>
                <th scope="col">{t('contactHistory.source')}</th>
                <th scope="col">{t('contactHistory.device')}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((e) => (
                <tr key={e.id} data-testid="history-row">
                  <td>{typeName(e.typeId, e.typeName)}</td>
                  <td className="nowrap">
                    <StatusBadge status={e.previousStatus} /> <span aria-label={t('contactHistory.to')}>→</span> <StatusBadge status={e.status} />
                  </td>
                  <td>{e.legalBasis ? t(`legalBasis.${e.legalBasis}`) : '—'}</td>
                  <td className="wrap">{e.explanation || (typeof e.evidence.text === 'string' ? `“${e.evidence.text}”` : '—')}</td>
                  <td className="nowrap">{formatDateTime(e.occurredAt)}</td>
                  <td>{actorLabel(t, e.actor)}</td>
                  <td>
                    {t(`source.${e.source}`)}
                    {e.evidence.channel === RELAY_ATTRIBUTION && <small className="muted" data-testid="history-via-relay"> · {t('messages.viaRelay')}</small>}
                  </td>
                  <td className="muted small" title={e.deviceId}>{e.deviceId.slice(0, 8)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && page.total > LIMIT && (
        <div className="pager">
          <button type="button" data-testid="history-prev" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - LIMIT))}>
            {t('contactHistory.previous')}
          </button>
          <span className="muted">
            {t('contactHistory.range', { from: formatNumber(offset + 1), to: formatNumber(Math.min(offset + LIMIT, page.total)), total: formatNumber(page.total) })}
          </span>
          <button type="button" data-testid="history-next" disabled={offset + LIMIT >= page.total} onClick={() => setOffset(offset + LIMIT)}>
            {t('contactHistory.next')}
          </button>
        </div>
      )}
    </div>
  );
}
