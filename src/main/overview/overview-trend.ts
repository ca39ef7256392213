import type { OverviewTrendBucket } from '../../shared/api/overview-channels';
import type { TimelinePoint } from '../../shared/api/history-channels';

const DAY_MS = 86_400_000;

// The Monday (UTC) of the week a 'YYYY-MM-DD' day falls in.
export function weekStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

export const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;

// The last `count` weeks or months up to `today`, oldest first, each with the opt-ins and
// opt-outs of every type added up; a period with no events is there with zeros, so a chart
// shows a quiet week as quiet rather than leaving it out.
export function trendBuckets(points: readonly TimelinePoint[], unit: 'week' | 'month', count: number, today: string): OverviewTrendBucket[] {
  const startOf = unit === 'week' ? weekStart : monthStart;
  const starts: string[] = [];
  let cursor = startOf(today);
  for (let i = 0; i < count; i++) {
    starts.unshift(cursor);
    const d = new Date(`${cursor}T00:00:00Z`);
    if (unit === 'week') cursor = new Date(d.getTime() - 7 * DAY_MS).toISOString().slice(0, 10);
    else cursor = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  }
  const buckets = new Map(starts.map((s) => [s, { start: s, optIns: 0, optOuts: 0 }]));
  for (const p of points) {
    const bucket = buckets.get(startOf(p.day));
    if (!bucket) continue;
    bucket.optIns += p.optIns;
    bucket.optOuts += p.optOuts;
  }
  return [...buckets.values()];
}
