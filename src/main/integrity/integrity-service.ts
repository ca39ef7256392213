import type { MangoQuerySelector, MangoQuerySortPart } from 'rxdb';
import type { SignatureCheck } from '../../shared/api/device-channels';
import type { ConsentEvent } from '../../shared/domain';
import type { DeviceRegistry } from '../device/device-registry';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import { createChainTally, DEFAULT_MAX_ISSUES, type ChainIntegrityReport } from './chain-tally';
import { verifyDeviceStream } from './chain-stream';
import type { WorkerRun } from './chain-worker-client';
import { runIntegrityWorkers, type IntegrityWorkersResult } from './integrity-workers';
import { checkSignatures } from './signature-check';
import { provenKeptLinks, provenKeptLinksByDevice } from './kept-links';
import { withKeptLinks } from './kept-links-merge';
import { ledgerTable } from './ledger-table';
import { reorderWindow } from './reorder-window';

// The integrity check over the whole ledger: every device's chain, streamed from the
// store in (deviceId, seq) order in slices, each event's content hash re-computed.
// `verify` runs it in a worker thread on its own read-only connection (ledger-file-check.ts),
// so the window stays responsive at a million events; `verifyAll` is the same check on the
// main thread, through the store's queries, kept for stores that are not a SQLite file.
export type { ChainIntegrityReport } from './chain-tally';

// signatureWorkers: how many threads share the signature check (default: one per core).
export type VerifyOptions = { pageSize?: number; maxIssues?: number; signatureWorkers?: number };

export type IntegrityService = {
  verify(options?: VerifyOptions): Promise<ChainIntegrityReport>;
  // The same, with every event's signature checked against the registry, in workers of their own.
  verifyWithSignatures(registry: DeviceRegistry, options?: VerifyOptions): Promise<ChainIntegrityReport & { signatures: SignatureCheck }>;
  // Stops the running check (it then fails with `cancelled`); false when none runs.
  cancel(): boolean;
  verifyAll(options?: VerifyOptions): Promise<ChainIntegrityReport>;
  // Pages of one device's events in seq order (the proof re-uses them).
  devicePages(deviceId: string, pageSize?: number): () => AsyncIterable<readonly ConsentEvent[]>;
};

const DEFAULT_PAGE = 5000;
// Rows of the last page's final seq read again to find where the next page starts.
const KEYSET_SLACK = 64;
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
        yield docs;
        if (end) return;
        await yieldToEventLoop();
      }
    };

  // The device's chain as it was sealed: its events in the ledger plus the links of it that
  // only another device's copy stands for in the ledger (kept-links.ts).
  const devicePages = (deviceId: string, pageSize = DEFAULT_PAGE) =>
    withKeptLinks(() => reorderWindow(ledgerPages(deviceId, pageSize)()), () => provenKeptLinks(db, deviceId));

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

  let running: WorkerRun<IntegrityWorkersResult> | null = null;
  let busy = false;

  const run = async (options: VerifyOptions, registry: DeviceRegistry | null): Promise<IntegrityWorkersResult & { startedAt: number }> => {
    const startedAt = Date.now();
    const table = ledgerTable(db);
    if (!table) {
      const chains = await verifyOnMainThread(options);
      return { chains, signatures: registry ? await checkSignatures(db, registry) : null, startedAt };
    }
    if (busy) throw new AppError('conflict', 'An integrity check is already running.');
    busy = true;
    const jobId = `integrity:${startedAt}`;
    try {
      const keptLinks = await provenKeptLinksByDevice(db);
      const workers = runIntegrityWorkers(
        { ...table, keptLinks, pageSize: options.pageSize ?? DEFAULT_PAGE, maxIssues: options.maxIssues ?? DEFAULT_MAX_ISSUES },
        registry ? { registry, workers: options.signatureWorkers } : null,
        (done, total) => events.emit({ type: 'progress', jobId, kind: 'integrity', done, total, state: 'running' }),
      );
      running = workers;
      const result = await workers.result;
      events.emit({ type: 'progress', jobId, kind: 'integrity', done: result.chains.events, total: result.chains.events, state: 'finished' });
      return { ...result, startedAt };
    } catch (error) {
      const state = error instanceof AppError && error.code === 'cancelled' ? 'cancelled' : 'failed';
      events.emit({ type: 'progress', jobId, kind: 'integrity', done: 0, total: 0, state });
      throw error;
    } finally {
      running = null;
      busy = false;
    }
  };
  const stamped = (chains: Omit<ChainIntegrityReport, 'checkedAt' | 'durationMs'>, startedAt: number): ChainIntegrityReport => ({
    ...chains,
    checkedAt: now().toISOString(),
    durationMs: Date.now() - startedAt,
  });

  const verifyOnMainThread = async (options: VerifyOptions = {}): Promise<ChainIntegrityReport> => {
    const started = Date.now();
    const tally = createChainTally(options.maxIssues);
    const devices = await deviceIds();
    const total = await db.consent_events.count().exec();
    const jobId = `integrity:${started}`;
    for (const deviceId of devices) {
      tally.add(await verifyDeviceStream(deviceId, devicePages(deviceId, options.pageSize)));
      events.emit({ type: 'progress', jobId, kind: 'integrity', done: tally.events, total, state: 'running' });
    }
    events.emit({ type: 'progress', jobId, kind: 'integrity', done: tally.events, total: tally.events, state: 'finished' });
    return tally.report(now().toISOString(), Date.now() - started);
  };

  return {
    devicePages,
    async verify(options = {}) {
      const { chains, startedAt } = await run(options, null);
      return stamped(chains, startedAt);
    },
    async verifyWithSignatures(registry, options = {}) {
      const { chains, signatures, startedAt } = await run(options, registry);
      return { ...stamped(chains, startedAt), signatures: signatures ?? (await checkSignatures(db, registry)) };
    },
    cancel() {
      if (!running) return false;
      running.cancel();
      return true;
    },
    verifyAll: verifyOnMainThread,
  };
}
