import type { Subscription } from 'rxjs';
import type { HistoryPage, HistoryQuery, HistoryRow } from '../../shared/api/consent-channels';
import type { HistoryFacets, HistoryStats } from '../../shared/api/history-channels';
import { isWellFormedEvent } from '../../shared/consent/consent-fold';
import { ALL_WHATSAPP_TYPE_ID } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import { changesSince, type ChangeCheckpoint } from '../ledger/store-scan';
import { ledgerTable } from '../integrity/ledger-table';
import type { AppDatabase } from '../store/database';
import { onDocChanges } from '../store/doc-changes';
import { withoutStorageFields } from '../store/plain-documents';
import type { TypeService } from '../subscription-types/type-service';
import { createHistoryIndex, type HistoryFilter } from './history-index';
import { readIndexSnapshot, writeIndexSnapshot } from './history-index-snapshot';

// Consent history, newest first, per contact or account-wide, with filters. Filtering,
// counting and the timeline run on an in-memory columnar index (history-index.ts), kept
// in step with the store's change stream. The index is saved beside the store
// (history-index-snapshot.ts) after its first build and at close; a start loads it and
// reads only the changes after the point it reached, instead of every event again.
// The rows of a page are read from the store by id.
export type HistoryService = {
  query(q: HistoryQuery): Promise<HistoryPage>;
  stats(f: HistoryFilter): Promise<HistoryStats>;
  facets(): Promise<HistoryFacets>;
  // Matching events, newest first, in slices of `sliceSize` (exports). At most `max`.
  eachSlice(f: HistoryFilter, max: number, sliceSize: number, visit: (rows: HistoryRow[]) => Promise<void>): Promise<number>;
  // Where the index came from: the saved file (plus the changes after it) or a read of the store.
  origin(): 'saved' | 'store' | 'pending';
  close(): void;
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const PAGE = 2000;

type StoredEvent = { id: string; _meta?: { lwt?: number } };
const later = (a: ChangeCheckpoint | null, d: StoredEvent): ChangeCheckpoint | null => {
  const lwt = d._meta?.lwt;
  if (typeof lwt !== 'number') return a;
  return !a || lwt > a.lwt || (lwt === a.lwt && d.id > a.id) ? { id: d.id, lwt } : a;
};

// `snapshotKey` seals the saved index (derived from the database key; absent for a plain store).
export function createHistoryService(deps: { db: AppDatabase; directory: ContactDirectory; types: TypeService; snapshotKey?: Buffer }): HistoryService {
  const { db, directory, types } = deps;
  const table = ledgerTable(db);
  const snapshotPath = table ? `${table.path}.history-index` : null;
  let index = createHistoryIndex();
  let sub: Subscription | null = null;
  let building: Promise<void> | null = null;
  let closed = false;
  let built = false;
  let dirty = false;
  let skipped = 0;
  let checkpoint: ChangeCheckpoint | null = null;
  let origin: 'saved' | 'store' | 'pending' = 'pending';

  const fold = (d: unknown) => {
    if (isWellFormedEvent(d)) index.upsert(d);
    else skipped += 1;
    checkpoint = later(checkpoint, d as StoredEvent);
    dirty = true;
  };

  // Every change after `from` (all of them without one), page by page with a turn of the
  // event loop between pages. An ill-formed event (from before arrival checks) is left out.
  const readChanges = async (from: ChangeCheckpoint | undefined) => {
    for await (const page of changesSince(db.consent_events, from, PAGE)) {
      if (closed) return;
      for (const d of page.documents) if (!d._deleted) fold(d);
      await yieldToEventLoop();
    }
  };

  const save = () => {
    if (!snapshotPath || !built || !dirty) return;
    dirty = false;
    writeIndexSnapshot(snapshotPath, index.state(), checkpoint, skipped, deps.snapshotKey);
  };

  // Load the saved index (if any), listen, then read what changed since it was saved: an
  // event inserted meanwhile is seen by one or both, and upsert by id makes "both" harmless.
  const ready = () => {
    building ??= (async () => {
      const saved = snapshotPath ? readIndexSnapshot(snapshotPath, deps.snapshotKey) : null;
      let rebuilt = false;
      if (saved) {
        index = createHistoryIndex(saved.state);
        checkpoint = saved.checkpoint;
        skipped = saved.skipped;
      }
      sub = onDocChanges(db.consent_events, (ev) => {
        if (ev.operation === 'INSERT' || ev.operation === 'UPDATE') fold(ev.documentData);
      });
      // The saved point is a position in the store's change index, (write time, id), which
      // grows with every write in this process: what comes after it is exactly what is new.
      await readChanges(saved?.checkpoint ?? undefined);
      // A saved index of another store (a restored backup, an erasure) does not add up: rebuild.
      if (saved && !closed && index.size() + skipped !== (await db.consent_events.count().exec())) {
        index = createHistoryIndex();
        skipped = 0;
        checkpoint = null;
        rebuilt = true;
        await readChanges(undefined);
      }
      if (closed) return;
      built = true;
      origin = saved && !rebuilt ? 'saved' : 'store';
      if (!saved || dirty) save();
    })();
    return building;
  };

  // Plain documents from the storage: no RxDocument is made or cached per row, so an export
  // that reads every event in slices holds only its current slice.
  const toRows = async (ids: readonly string[]): Promise<HistoryRow[]> => {
    if (ids.length === 0) return [];
    const [docs, typeList] = await Promise.all([db.consent_events.storageInstance.findDocumentsById([...ids], false), types.list(true)]);
    const typeNames = new Map(typeList.map((t) => [t.id, t.name]));
    const byId = new Map(docs.map((d) => [d.id, d]));
    const rows: HistoryRow[] = [];
    for (const id of ids) {
      const doc = byId.get(id);
      if (!doc) continue;
      const e: unknown = withoutStorageFields(doc);
      if (!isWellFormedEvent(e)) continue;
      rows.push({
        ...e,
        contactName: directory.get(e.contactId)?.name ?? '',
        typeName: e.typeId === ALL_WHATSAPP_TYPE_ID ? 'All WhatsApp' : (typeNames.get(e.typeId) ?? e.typeId),
      });
    }
    return rows;
  };

  return {
    async query(q) {
      await ready();
      const { ids, total } = index.page(q, q.offset, q.limit);
      return { rows: await toRows(ids), total, offset: q.offset };
    },
    async stats(f) {
      await ready();
      return index.stats(f);
    },
    async facets() {
      await ready();
      return { actors: index.actors(), devices: index.devices() };
    },
    async eachSlice(f, max, sliceSize, visit) {
      await ready();
      // Positions, not id strings: 4 bytes per match, ids made one slice at a time. The index
      // in hand is kept for the walk (a rebuild would start a new one with other positions).
      const walked = index;
      const positions = walked.matchingPositions(f, max);
      for (let i = 0; i < positions.length; i += sliceSize) {
        const ids = Array.from(positions.subarray(i, i + sliceSize), (p) => walked.idAt(p));
        await visit(await toRows(ids));
        await yieldToEventLoop();
      }
      return positions.length;
    },
    origin: () => origin,
    close() {
      closed = true;
      sub?.unsubscribe();
      save();
    },
  };
}
