import type { MangoQuerySelector, MangoQuerySortPart } from 'rxdb';
import type { IntegrityReport } from '../../shared/api/history-channels';
import type { ConsentEvent } from '../../shared/domain';
import { CHAIN_ISSUE_CATEGORIES, type ChainIssue, type ChainIssueCategory } from '../consent/chain-issue';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import { verifyDeviceStream } from './chain-stream';
import { provenKeptLinks, withKeptLinks } from './kept-links';

// The integrity check over the whole ledger: every device's chain, streamed from the
// store in (deviceId, seq) order in slices, each event's content hash re-computed.
// Issues are capped (maxIssues) so one wrecked store cannot flood the window; the
// report's `counts` stay exact and `truncated` says so.

// The chains' part of the report; integrity-check.ts adds the projection and the quarantine.
export type ChainIntegrityReport = Omit<IntegrityReport, 'projection' | 'quarantined' | 'signatures'>;

export type IntegrityService = {
  verifyAll(options?: { pageSize?: number; maxIssues?: number }): Promise<ChainIntegrityReport>;
  // Pages of one device's events in seq order (the proof re-uses them).
  devicePages(deviceId: string, pageSize?: number): () => AsyncIterable<readonly ConsentEvent[]>;
};

const DEFAULT_PAGE = 5000;
const REORDER_WINDOW = 2000;
// Rows of the last page's final seq read again to find where the next page starts.
const KEYSET_SLACK = 64;
const bySeqThenId = (a: ConsentEvent, b: ConsentEvent) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const DEFAULT_MAX_ISSUES = 1000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createIntegrityService(deps: { db: AppDatabase; events: EventHub; now: () => Date }): IntegrityService {
  const { db, events, now } = deps;
  // RxDB appends the primary key to every index and sort, so this is (deviceId, seq, id)
  // and the store answers it straight from the index; naming id here would make it sort in JS.
  const sort: MangoQuerySortPart<ConsentEvent>[] = [{ deviceId: 'asc' }, { seq: 'asc' }];

  // Plain documents straight from the storage: an integrity pass reads every event once,
  // and RxDocuments or cached queries for them would only fill memory.
  const read = async (selector: MangoQuerySelector<ConsentEvent>, limit: number, skip = 0): Promise<ConsentEvent[]> => {
    return queryPlain(db.consent_events, { selector, sort, skip, limit });
  };

  // Pages in the index's (deviceId, seq, id) order. The index keys are written by the
  // store, so a document edited in the file behind the app's back may sit at its old
  // position with a new seq: a keyset on the edited value alone could skip rows. So each
  // page is read from the last row's seq onwards (`$gte`) and accepted only if that last
  // row is found in it again: then the rows after it continue the ones already read,
  // without a gap. Otherwise (an edited seq, a huge run of one seq) the page is read by
  // offset, which is exact because what was read so far is a prefix of the index order.
  // Offsets alone would make the pass quadratic. A reorder window then re-sorts by the
  // seq inside each document, so a swapped pair is judged by what the documents now say.
  const ledgerPages = (deviceId: string, pageSize = DEFAULT_PAGE) =>
    async function* pages(): AsyncIterable<readonly ConsentEvent[]> {
      let carry: ConsentEvent[] = [];
      let consumed = 0;
      let last: ConsentEvent | undefined;
      for (;;) {
        let docs: ConsentEvent[] | undefined;
        let end = false;
        if (last && Number.isSafeInteger(last.seq)) {
          const limit = pageSize + KEYSET_SLACK;
          const page = await read({ deviceId, seq: { $gte: last.seq } }, limit);
          const lastId = last.id;
          const at = page.findIndex((d) => d.id === lastId);
          if (at >= 0) {
            docs = page.slice(at + 1);
            end = page.length < limit;
          }
        }
        if (!docs) {
          docs = await read({ deviceId }, pageSize, consumed);
          end = docs.length < pageSize;
        }
        consumed += docs.length;
        last = docs[docs.length - 1] ?? last;
        const all = carry.concat(docs).sort(bySeqThenId);
        if (end) {
          if (all.length) yield all;
          return;
        }
        const keep = Math.min(all.length, REORDER_WINDOW);
        carry = all.slice(all.length - keep);
        if (all.length > keep) yield all.slice(0, all.length - keep);
        await yieldToEventLoop();
      }
    };

  // The device's chain as it was sealed: its events in the ledger plus the links of it that
  // only another device's copy stands for in the ledger (kept-links.ts).
  const devicePages = (deviceId: string, pageSize = DEFAULT_PAGE) =>
    withKeptLinks(ledgerPages(deviceId, pageSize), () => provenKeptLinks(db, deviceId));

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
