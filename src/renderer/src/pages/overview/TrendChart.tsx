import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverviewTrendBucket } from '../../../../shared/api/overview-channels';
import { formatNumber } from '../../format';
import { i18n } from '../../i18n';

const periodLabel = (start: string, unit: 'weeks' | 'months') =>
  new Intl.DateTimeFormat(i18n.language === 'pl' ? 'pl-PL' : 'en-GB', unit === 'weeks' ? { day: 'numeric', month: 'short', timeZone: 'UTC' } : { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${start}T00:00:00Z`),
  );

// Opt-ins and opt-outs side by side per period; the same figures follow as a table, which is
// what a screen reader reads (the chart is a picture of it).
export function TrendChart({ buckets, unit }: { buckets: OverviewTrendBucket[]; unit: 'weeks' | 'months' }) {
  const { t } = useTranslation();
  const data = buckets.map((b) => ({ ...b, label: periodLabel(b.start, unit) }));
  const count = (v: unknown) => formatNumber(Number(v));
  return (
    <>
      <div aria-hidden="true" data-testid="overview-trend-chart">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={56} tickFormatter={count} />
            <Tooltip formatter={count} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="optIns" name={t('overview.optIns')} fill="#0b7a5a" isAnimationActive={false} />
            <Bar dataKey="optOuts" name={t('overview.optOuts')} fill="#b3261e" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>{t('overview.trendTable')}</summary>
        <table className="plain-table" data-testid="overview-trend-table">
          <thead>
            <tr>
              <th scope="col">{unit === 'weeks' ? t('overview.weekOf') : t('overview.month')}</th>
              <th scope="col" className="num">{t('overview.optIns')}</th>
              <th scope="col" className="num">{t('overview.optOuts')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((b) => (
              <tr key={b.start}>
                <th scope="row">{b.label}</th>
                <td className="num">{formatNumber(b.optIns)}</td>
                <td className="num">{formatNumber(b.optOuts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
