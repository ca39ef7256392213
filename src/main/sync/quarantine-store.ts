import { createHash } from 'node:crypto';
import type { QuarantinedDocument } from '../../shared/api/sync-trust-channels';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { QuarantineReason } from './arrival-checks';
import type { SyncedCollection } from './sync-collections';

/*
 * Documents that failed the arrival checks, kept aside with their reason: never in the
 * store, never folded, listed under "Sync problems" and counted by the integrity check.
 * They live in local_meta (device-local, never replicated: a device's verdicts are its own,
 * and RxDB's free build has no room for a fourteenth collection).
 */
const PREFIX = 'quarantine:';
// A document over the size limit is kept as an excerpt: enough to recognise it, no more.
const EXCERPT_CHARS = 2000;

export type QuarantineEntry = {
  collection: SyncedCollection;
  docId: string;
  reason: QuarantineReason;
  detail: string;
  waitingFor: string;
  firstSeenAt: string;
  lastCheckedAt: string;
  bytes: number;
  // The document as it arrived (without the server's bookkeeping), or null when too large.
  doc: Record<string, unknown> | null;
  excerpt: string;
};

export const quarantineKey = (collection: string, docId: string) =>
  `${PREFIX}${createHash('sha256').update(`${collection}\u001f${docId}`).digest('hex').slice(0, 40)}`;

const isEntry = (v: unknown): v is QuarantineEntry => {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.collection === 'string' && typeof o.docId === 'string' && typeof o.reason === 'string';
};

export type QuarantineStore = {
  put(entry: Omit<QuarantineEntry, 'firstSeenAt'>): Promise<void>;
  // Many at once (one read, one write): a joining device keeps a whole batch aside until enrolled.
  putMany(entries: ReadonlyArray<Omit<QuarantineEntry, 'firstSeenAt'>>): Promise<void>;
  release(collection: string, docId: string): Promise<void>;
  releaseMany(collection: string, docIds: readonly string[]): Promise<void>;
  all(): Promise<QuarantineEntry[]>;
  waiting(): Promise<QuarantineEntry[]>;
  count(): Promise<number>;
};

export function createQuarantineStore(db: AppDatabase): QuarantineStore {
  const read = async () =>
    (await queryPlain(db.local_meta, { selector: { id: { $gte: PREFIX, $lt: `${PREFIX}\uffff` } } })).filter((d) => isEntry(d.value));
  // The keys held, so that the common case (a document that passes and was never kept aside)
  // costs no read of the store.
  let keys: Promise<Set<string>> | null = null;
  const held = () => (keys ??= read().then((docs) => new Set(docs.map((d) => d.id))));
  const all = async () => (await read()).map((d) => d.value as QuarantineEntry);
  return {
    async put(entry) {
      const id = quarantineKey(entry.collection, entry.docId);
      const existing = await db.local_meta.findOne(id).exec();
      const before = existing?.toMutableJSON().value;
      const firstSeenAt = isEntry(before) ? before.firstSeenAt : entry.lastCheckedAt;
      await db.local_meta.upsert({ id, value: { ...entry, firstSeenAt }, updatedAt: entry.lastCheckedAt });
      (await held()).add(id);
    },
    async putMany(entries) {
      if (entries.length === 0) return;
      const ids = entries.map((e) => quarantineKey(e.collection, e.docId));
      const existing = new Map((await db.local_meta.storageInstance.findDocumentsById(ids, false)).map((d) => [d.id, d.value]));
      await db.local_meta.bulkUpsert(
        entries.map((entry, i) => {
          const id = ids[i] ?? quarantineKey(entry.collection, entry.docId);
          const before = existing.get(id);
          return { id, value: { ...entry, firstSeenAt: isEntry(before) ? before.firstSeenAt : entry.lastCheckedAt }, updatedAt: entry.lastCheckedAt };
        }),
      );
      const known = await held();
      for (const id of ids) known.add(id);
    },
    async releaseMany(collection, docIds) {
      const known = await held();
      const ids = docIds.map((d) => quarantineKey(collection, d)).filter((id) => known.has(id));
      if (ids.length === 0) return;
      await db.local_meta.bulkRemove(ids);
      for (const id of ids) known.delete(id);
    },
    async release(collection, docId) {
      const id = quarantineKey(collection, docId);
      const known = await held();
      if (!known.has(id)) return;
      const doc = await db.local_meta.findOne(id).exec();
      if (doc) await doc.remove();
      known.delete(id);
    },
    all,
    waiting: async () => ((await held()).size === 0 ? [] : (await all()).filter((e) => e.waitingFor !== '' && e.doc !== null)),
    count: async () => (await held()).size,
  };
}

export const excerptOf = (text: string) => (text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);

// What the "Sync problems" view shows: the reason and the document's own words, never more.
export const toView = (e: QuarantineEntry): QuarantinedDocument => ({
  collection: e.collection,
  docId: e.docId,
  reason: e.reason,
  detail: e.detail,
  waitingFor: e.waitingFor,
  firstSeenAt: e.firstSeenAt,
  lastCheckedAt: e.lastCheckedAt,
  bytes: e.bytes,
  excerpt: e.excerpt,
});
