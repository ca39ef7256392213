import { historyFilter } from '../../shared/api/history-channels';
import type { ComplianceOverview, OverviewTypeCounts } from '../../shared/api/overview-channels';
import { CONSENT_STATUSES, type ConsentStatus } from '../../shared/domain';
import type { AuditLog } from '../audit/audit-log';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { HistoryService } from '../history/history-service';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import { trendBuckets } from './overview-trend';

export type OverviewService = { get(q: { weeks: number; months: number }): Promise<ComplianceOverview> };

const ALL = { search: '', typeId: '', status: '', sort: 'name', direction: 'asc' } as const;

// The compliance officer's landing page. Every figure comes from an index kept in memory or
// a small query: status counts from the contact directory's per-type status arrays, trends
// from the history index's per-day timeline, the backlog and the last check from their
// collections. Nothing reads the ledger event by event, so it stays fast at 100k contacts.
export function createOverviewService(deps: { db: AppDatabase; directory: ContactDirectory; history: HistoryService; types: TypeService; audit: AuditLog; now: () => Date }): OverviewService {
  const { db, directory, history, types, audit, now } = deps;
  return {
    async get(q) {
      await directory.ready;
      const count = (typeId: string, status: ConsentStatus | 'opted_out_all' | '') => directory.page({ ...ALL, typeId, status }, 0, 0).total;
      const typeCounts: OverviewTypeCounts[] = (await types.list(false)).map((t) => ({
        typeId: t.id,
        typeName: t.name,
        purpose: t.purpose,
        businessNumber: t.businessNumber,
        businessName: t.businessName,
        counts: Object.fromEntries(CONSENT_STATUSES.map((s) => [s, count(t.id, s)])) as Record<ConsentStatus, number>,
      }));
      const today = now().toISOString().slice(0, 10);
      const [stats, openItems, checks] = await Promise.all([
        history.stats(historyFilter.parse({})),
        db.review_items.find({ selector: { state: 'open' }, sort: [{ createdAt: 'asc' }] }).exec(),
        audit.list({ action: 'integrity.check', offset: 0, limit: 1 }),
      ]);
      const check = checks.entries[0];
      return {
        generatedAt: now().toISOString(),
        contacts: count('', ''),
        optedOutAll: count('', 'opted_out_all'),
        types: typeCounts,
        trend: { weeks: trendBuckets(stats.timeline, 'week', q.weeks, today), months: trendBuckets(stats.timeline, 'month', q.months, today) },
        review: { open: openItems.length, oldestOpenAt: openItems[0]?.createdAt ?? '' },
        lastIntegrityCheck: check ? { at: check.at, ok: check.details.ok === true, events: Number(check.details.events ?? 0), by: check.actorName } : null,
      };
    },
  };
}
