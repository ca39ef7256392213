import type { MangoQuerySelector, MangoQuerySortPart } from 'rxdb';
import type { IntegrityReport } from '../../shared/api/history-channels';
import type { ConsentEvent } from '../../shared/domain';
import { CHAIN_ISSUE_CATEGORIES, type ChainIssue, type ChainIssueCategory } from '../consent/event-hash';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';
import { verifyDeviceStream } from './chain-stream';

// The integrity check over the whole ledger: every device's chain, streamed from the
// store in (deviceId, seq) order in slices, each event's content hash re-computed.
// Issues are capped (maxIssues) so one wrecked store cannot flood the window; the
// report's `counts` stay exact and `truncated` says so.

export type IntegrityService = {
  verifyAll(options?: { pageSize?: number; maxIssues?: number }): Promise<IntegrityReport>;
  // Pages of one device's events in seq order (the proof re-uses them).
  devicePages(deviceId: string, pageSize?: number): () => AsyncIterable<readonly ConsentEvent[]>;
};

const DEFAULT_PAGE = 5000;
const REORDER_WINDOW = 2000;
const bySeqThenId = (a: ConsentEvent, b: ConsentEvent) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const DEFAULT_MAX_ISSUES = 1000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createIntegrityService(deps: { db: AppDatabase; events: EventHub; now: () => Date }): IntegrityService {
  const { db, events, now } = deps;
  // RxDB appends the primary key to every index and sort, so this is (deviceId, seq, id)
  // and the store answers it straight from the index; naming id here would make it sort in JS.
  const sort: MangoQuerySortPart<ConsentEvent>[] = [{ deviceId: 'asc' }, { seq: 'asc' }];

  // Pages in the index's (deviceId, seq, id) order, by offset rather than keyset: the
  // index keys are written by the store, so a document edited in the file behind the
  // app's back may sit at its old position with a new seq, and a keyset on the edited
  // value could skip rows. A reorder window then re-sorts by the seq inside each
  // document, so a swapped pair is judged by what the documents now say.
  const devicePages = (deviceId: string, pageSize = DEFAULT_PAGE) =>
    async function* pages(): AsyncIterable<readonly ConsentEvent[]> {
      let carry: ConsentEvent[] = [];
      for (let offset = 0; ; offset += pageSize) {
        const docs = await db.consent_events.find({ selector: { deviceId }, sort, skip: offset, limit: pageSize }).exec();
        const all = carry.concat(docs.map((d) => d.toJSON() as ConsentEvent)).sort(bySeqThenId);
        if (docs.length < pageSize) {
          if (all.length) yield all;
          return;
        }
        const keep = Math.min(all.length, REORDER_WINDOW);
        carry = all.slice(all.length - keep);
        if (all.length > keep) yield all.slice(0, all.length - keep);
        await yieldToEventLoop();
      }
    };

  const deviceIds = async (): Promise<string[]> => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const selector: MangoQuerySelector<ConsentEvent> = after === null ? {} : { deviceId: { $gt: after } };
      const next = await db.consent_events.findOne({ selector, sort }).exec();
      if (!next) return ids;
      ids.push(next.deviceId);
      after = next.deviceId;
    }
  };

  return {
    devicePages,
    async verifyAll(options = {}) {
      const started = Date.now();
      const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES;
      const devices = await deviceIds();
      const total = await db.consent_events.count().exec();
      const counts = Object.fromEntries(CHAIN_ISSUE_CATEGORIES.map((c) => [c, 0])) as Record<ChainIssueCategory, number>;
      const issues: ChainIssue[] = [];
      const heads: IntegrityReport['heads'] = [];
      let checked = 0;
      const jobId = `integrity:${started}`;
      for (const deviceId of devices) {
        const result = await verifyDeviceStream(deviceId, devicePages(deviceId, options.pageSize));
        checked += result.events;
        if (result.head) heads.push({ deviceId, ...result.head });
        for (const issue of result.issues) {
          counts[issue.category] += 1;
          if (issues.length < maxIssues) issues.push(issue);
        }
        events.emit({ type: 'progress', jobId, kind: 'integrity', done: checked, total, state: 'running' });
      }
      events.emit({ type: 'progress', jobId, kind: 'integrity', done: checked, total: checked, state: 'finished' });
      const issueCount = Object.values(counts).reduce((a, b) => a + b, 0);
      return {
        ok: issueCount === 0,
        checkedAt: now().toISOString(),
        durationMs: Date.now() - started,
        events: checked,
        devices: devices.length,
        heads,
        counts,
        issues,
        truncated: issueCount > issues.length,
      };
    },
  };
}
