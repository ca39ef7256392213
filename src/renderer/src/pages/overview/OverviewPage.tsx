import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplianceOverview, OverviewTypeCounts } from '../../../../shared/api/overview-channels';
import { must, onAppEvent } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatDateTime, formatNumber } from '../../format';
import { useRoute } from '../../stores/route-store';
import { TrendChart } from './TrendChart';

// Types grouped under the business number that sends their messages.
function byNumber(types: readonly OverviewTypeCounts[]) {
  const groups = new Map<string, OverviewTypeCounts[]>();
  for (const t of types) groups.set(t.businessNumber, [...(groups.get(t.businessNumber) ?? []), t]);
  return [...groups.entries()];
}

// The compliance officer's landing page: where consent stands now, how it moves, and what
// waits for a decision or a check.
export function OverviewPage() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const [overview, setOverview] = useState<ComplianceOverview | null>(null);
  const [error, setError] = useState('');
  const [unit, setUnit] = useState<'weeks' | 'months'>('weeks');

  useEffect(() => {
    let live = true;
    const load = () =>
      must('overview:get', {})
        .then((o) => live && setOverview(o))
        .catch((e: unknown) => live && setError(errorText(t, e)));
    void load();
    const off = onAppEvent((event) => {
      if (event.type === 'consent:changed' || event.type === 'contacts:changed' || event.type === 'review:changed') void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [t]);

  const check = overview?.lastIntegrityCheck ?? null;
  return (
    <section className="stack overview-page" aria-labelledby="overview-title">
      <div className="page-header">
        <h1 id="overview-title">{t('overview.title')}</h1>
        {overview && <span className="muted small">{t('overview.asOf', { at: formatDateTime(overview.generatedAt) })}</span>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!overview && !error && <p role="status" className="muted">{t('app.loading')}</p>}
      {overview && (
        <>
          <div className="overview-tiles">
            <div className="card tile" data-testid="overview-contacts">
              <span className="muted">{t('overview.contacts')}</span>
              <strong>{formatNumber(overview.contacts)}</strong>
              <span className="muted small">{t('overview.optedOutAll', { formatted: formatNumber(overview.optedOutAll) })}</span>
            </div>
            <div className={`card tile${overview.review.open > 0 ? ' tile-warn' : ''}`} data-testid="overview-review">
              <span className="muted">{t('overview.reviewBacklog')}</span>
              <strong>{formatNumber(overview.review.open)}</strong>
              <span className="muted small">
                {overview.review.open > 0 ? t('overview.oldestOpen', { at: formatDateTime(overview.review.oldestOpenAt) }) : t('overview.reviewEmpty')}
              </span>
              <a href="#/history" className="small" onClick={(e) => { e.preventDefault(); go({ page: 'history' }); }}>{t('overview.openHistory')}</a>
            </div>
            <div className={`card tile${!check || !check.ok ? ' tile-warn' : ''}`} data-testid="overview-integrity">
              <span className="muted">{t('overview.lastCheck')}</span>
              <strong>{check ? formatDateTime(check.at) : t('overview.never')}</strong>
              <span className="muted small">
                {check
                  ? t(check.ok ? 'overview.checkOk' : 'overview.checkBad', { events: t('counts.events', { count: check.events, formatted: formatNumber(check.events) }), by: check.by })
                  : t('overview.checkNever')}
              </span>
            </div>
          </div>

          <section className="card stack" aria-labelledby="overview-status-title">
            <h2 id="overview-status-title">{t('overview.statusTitle')}</h2>
            {overview.types.length === 0 ? (
              <p className="muted">{t('overview.noTypes')}</p>
            ) : (
              <table className="plain-table overview-counts" data-testid="overview-status-table">
                <thead>
                  <tr>
                    <th scope="col">{t('overview.type')}</th>
                    <th scope="col" className="num">{t('status.subscribed')}</th>
                    <th scope="col" className="num">{t('status.unsubscribed')}</th>
                    <th scope="col" className="num">{t('status.not_specified')}</th>
                  </tr>
                </thead>
                {byNumber(overview.types).map(([number, types]) => (
                  <tbody key={number}>
                    <tr>
                      <th scope="rowgroup" colSpan={4} className="group-head">
                        {types[0]?.businessName ? `${types[0].businessName} · ` : ''}{number}
                      </th>
                    </tr>
                    {types.map((ty) => (
                      <tr key={ty.typeId} data-testid={`overview-type-${ty.typeId}`}>
                        <th scope="row">
                          {ty.typeName} <span className="muted small">{t(`purpose.${ty.purpose}`, { defaultValue: ty.purpose })}</span>
                        </th>
                        <td className="num" data-status="subscribed">{formatNumber(ty.counts.subscribed)}</td>
                        <td className="num" data-status="unsubscribed">{formatNumber(ty.counts.unsubscribed)}</td>
                        <td className="num" data-status="not_specified">{formatNumber(ty.counts.not_specified)}</td>
                      </tr>
                    ))}
                  </tbody>
                ))}
              </table>
            )}
          </section>

          <section className="card stack" aria-labelledby="overview-trend-title">
            <div className="page-header">
              <h2 id="overview-trend-title">{t('overview.trendTitle')}</h2>
              <span className="spacer" />
              <label className="inline-label">
                <span>{t('overview.per')}</span>
                <select data-testid="overview-unit" value={unit} onChange={(e) => setUnit(e.target.value === 'months' ? 'months' : 'weeks')}>
                  <option value="weeks">{t('overview.perWeek')}</option>
                  <option value="months">{t('overview.perMonth')}</option>
                </select>
              </label>
            </div>
            <TrendChart buckets={unit === 'weeks' ? overview.trend.weeks : overview.trend.months} unit={unit} />
          </section>
        </>
      )}
    </section>
  );
}
