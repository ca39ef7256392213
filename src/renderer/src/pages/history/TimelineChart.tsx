import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimelinePoint } from '../../../../shared/api/history-channels';
import { ALL_WHATSAPP_TYPE_ID } from '../../../../shared/domain';
import { formatNumber } from '../../format';

const PALETTE = ['#0b7a5a', '#2f6fed', '#8a5cf6', '#c2410c', '#0e7490', '#a16207'];
const OUT_PALETTE = ['#b3261e', '#d9480f', '#be185d', '#7c2d12', '#9f1239', '#92400e'];

// Opt-ins above the axis and opt-outs below it, one stacked colour per subscription type.
export function TimelineChart({ points, typeNames }: { points: TimelinePoint[]; typeNames: Map<string, string> }) {
  const { t } = useTranslation();
  const typeIds = [...new Set(points.map((p) => p.typeId))];
  const byDay = new Map<string, Record<string, number | string>>();
  for (const p of points) {
    const row = byDay.get(p.day) ?? { day: p.day };
    row[`in:${p.typeId}`] = p.optIns;
    row[`out:${p.typeId}`] = -p.optOuts;
    byDay.set(p.day, row);
  }
  const data = [...byDay.values()];
  // The channel-wide opt-out has no type of its own; it is named, never shown by its id.
  const name = (id: string) => (id === ALL_WHATSAPP_TYPE_ID ? t('chart.allWhatsapp') : (typeNames.get(id) ?? t('chart.unknownType')));
  // Opt-outs are drawn below the axis as negative numbers; they are counts all the same.
  const count = (value: unknown) => formatNumber(Math.abs(Number(value)));
  if (data.length === 0) return <p className="muted">{t('history.chartEmpty')}</p>;
  return (
    <figure className="history-chart" aria-label={t('history.chartTitle')} data-testid="history-chart">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} stackOffset="sign" margin={{ top: 8, right: 8, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={56} tickFormatter={count} />
          <Tooltip formatter={count} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {typeIds.map((id, i) => (
            <Bar key={`in:${id}`} dataKey={`in:${id}`} name={`${name(id)} · ${t('history.optIns')}`} stackId="s" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
          {typeIds.map((id, i) => (
            <Bar key={`out:${id}`} dataKey={`out:${id}`} name={`${name(id)} · ${t('history.optOuts')}`} stackId="s" fill={OUT_PALETTE[i % OUT_PALETTE.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted">{t('history.chartCaption')}</figcaption>
    </figure>
  );
}
