import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditPageView } from '../../../../shared/api/history-channels';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatDateTime } from '../../format';
import { auditActionText, auditDetails } from './audit-details';

const PAGE = 100;

export function AuditTab() {
  const { t } = useTranslation();
  const [page, setPage] = useState<AuditPageView | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    must('audit:list', { offset, limit: PAGE })
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(errorText(t, e)));
    return () => {
      live = false;
    };
  }, [offset, t]);
  return (
    <div className="stack">
      <p className="muted">{t('history.auditIntro')}</p>
      {error && <p role="alert" className="error">{error}</p>}
      {page && page.entries.length === 0 && <p className="empty-state">{t('history.auditEmpty')}</p>}
      {page && page.entries.length > 0 && (
        <div className="table" role="table" aria-label={t('history.auditTitle')}>
          <div className="audit-row table-head" role="row">
            <span role="columnheader">{t('history.when')}</span>
            <span role="columnheader">{t('history.auditAction')}</span>
            <span role="columnheader">{t('history.actor')}</span>
            <span role="columnheader">{t('history.auditDetails')}</span>
          </div>
          {page.entries.map((e) => (
            <div className="audit-row" role="row" key={e.id} data-testid="audit-row">
              <span role="cell">{formatDateTime(e.at)}</span>
              <span role="cell" data-action={e.action}>{auditActionText(t, e.action)}</span>
              <span role="cell">{e.actorName}</span>
              <span role="cell">
                <dl className="audit-details">
                  {auditDetails(t, e.details).map((d) => (
                    <div key={d.label}>
                      <dt>{d.label}</dt>
                      <dd>{d.value}</dd>
                    </div>
                  ))}
                </dl>
              </span>
            </div>
          ))}
        </div>
      )}
      {page && page.total > PAGE && (
        <div className="toolbar">
          <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('history.prev')}</button>
          <button disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>{t('history.next')}</button>
        </div>
      )}
    </div>
  );
}
