import type { Subscription } from 'rxjs';
import type { HistoryPage, HistoryQuery, HistoryRow } from '../../shared/api/consent-channels';
import type { HistoryFacets, HistoryStats } from '../../shared/api/history-channels';
import { isWellFormedEvent } from '../../shared/consent/consent-fold';
import { ALL_WHATSAPP_TYPE_ID } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import { scanStore } from '../ledger/store-scan';
import type { AppDatabase } from '../store/database';
import { onDocChanges } from '../store/doc-changes';
import type { TypeService } from '../subscription-types/type-service';
import { createHistoryIndex, type HistoryFilter } from './history-index';

// Consent history, newest first, per contact or account-wide, with filters. Filtering,
// counting and the timeline run on an in-memory columnar index (history-index.ts),
// built in pages on first use and kept in step with the store's change stream;
// the rows of a page are read from the store by id.
export type HistoryService = {
  query(q: HistoryQuery): Promise<HistoryPage>;
  stats(f: HistoryFilter): Promise<HistoryStats>;
  facets(): Promise<HistoryFacets>;
  // Matching events, newest first, in slices of `sliceSize` (exports). At most `max`.
  eachSlice(f: HistoryFilter, max: number, sliceSize: number, visit: (rows: HistoryRow[]) => Promise<void>): Promise<number>;
  close(): void;
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createHistoryService(deps: { db: AppDatabase; directory: ContactDirectory; types: TypeService }): HistoryService {
  const { db, directory, types } = deps;
  const index = createHistoryIndex();
  let sub: Subscription | null = null;
  let building: Promise<void> | null = null;
  let closed = false;

  // Listen first, then read the store: an event inserted during the build is seen by
  // one or both, and upsert by id makes "both" harmless.
  const ready = () => {
    building ??= (async () => {
      sub = onDocChanges(db.consent_events, (ev) => {
        if ((ev.operation === 'INSERT' || ev.operation === 'UPDATE') && isWellFormedEvent(ev.documentData)) index.upsert(ev.documentData);
      });
      // Plain documents in pages along the change index (no RxDocuments, no query cache);
      // the index orders them itself, with one sort at the first read.
      // An ill-formed event (from before arrival checks) is left out, never a failed page.
      await scanStore(db.consent_events, (d) => isWellFormedEvent(d) && index.upsert(d), () => closed);
    })();
    return building;
  };

  const toRows = async (ids: readonly string[]): Promise<HistoryRow[]> => {
    if (ids.length === 0) return [];
    const [docs, typeList] = await Promise.all([db.consent_events.findByIds([...ids]).exec(), types.list(true)]);
    const typeNames = new Map(typeList.map((t) => [t.id, t.name]));
    const rows: HistoryRow[] = [];
    for (const id of ids) {
      const doc = docs.get(id);
      if (!doc) continue;
      const e: unknown = doc.toMutableJSON();
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
      const ids: string[] = [];
      index.forEachMatch(f, (id) => {
        ids.push(id);
        return ids.length < max;
      });
      for (let i = 0; i < ids.length; i += sliceSize) {
        await visit(await toRows(ids.slice(i, i + sliceSize)));
        await yieldToEventLoop();
      }
      return ids.length;
    },
    close() {
      closed = true;
      sub?.unsubscribe();
    },
  };
}
