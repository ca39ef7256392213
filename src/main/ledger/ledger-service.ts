import type { BulkWriteRow, RxStorageWriteErrorConflict } from 'rxdb';
import type { Subscription } from 'rxjs';
import { ulid } from 'ulid';
import type { Actor, ConsentEvent, ConsentSource, ConsentStateRow, ConsentStatus, Evidence, LegalBasis } from '../../shared/domain';
import type { FoldConflict } from '../../shared/consent/consent-fold';
import { FIRST_SEQ, GENESIS_PREV_HASH, sealEvent } from '../consent/event-hash';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { insertDocuments, upsertDocuments } from '../store/insert-documents';
import { withoutStorageFields } from '../store/plain-documents';
import { onDocChanges } from '../store/doc-changes';
import { byContactAndType, eventsForKeys, extendRow, rowFromFold, sameProjection, stateId } from './projection';
import { changedSince, laterCheckpoint, loadCheckpoint, saveCheckpoint } from './projection-checkpoint';
import { createSerialQueue } from './serial-queue';
import { scanStore, type ChangeCheckpoint } from './store-scan';

// A change to record. Everything that changes consent (manual, keyword, import, rule,
// review, sync merge) goes through `append`; events are never updated or deleted.
export type ConsentChange = {
  // Deterministic where the input has an identity (msg:, csv:, rule:), so re-processing
  // on any device yields the same event once. A ULID otherwise.
  id?: string;
  contactId: string;
  typeId: string;
  status: ConsentStatus;
  source: ConsentSource;
  legalBasis: LegalBasis | '';
  explanation: string;
  actor: Actor;
  evidence: Evidence;
  occurredAt?: string;
  // The newest event for this key the actor saw; defaults to the projection's.
  basedOn?: string;
};

export type AppendResult = { inserted: ConsentEvent[]; duplicates: string[]; conflicts: FoldConflict[] };

export type AppendOptions = {
  onProgress?: (done: number, total: number) => void;
  // Contacts the caller has just inserted (an import's new contacts): they have no status
  // rows yet, so none are looked up. Should one exist after all (events of the same contact
  // arrived by sync in between), its key is re-folded from all its events instead.
  newContacts?: ReadonlySet<string>;
};

export type ConsentLedger = {
  append(changes: readonly ConsentChange[], options?: AppendOptions): Promise<AppendResult>;
  state(contactId: string, typeId: string): Promise<ConsentStateRow | null>;
  statesForContact(contactId: string): Promise<ConsentStateRow[]>;
  events(contactId: string, typeId?: string): Promise<ConsentEvent[]>;
  // Resolves once events that arrived from elsewhere (sync) are projected.
  settled(): Promise<void>;
  rebuildProjection(): Promise<{ keys: number; events: number }>;
  // These keys folded again from the events that count (a revocation arrived: discounted-events.ts).
  refoldKeys(keys: ReadonlyArray<[string, string]>): Promise<void>;
  onConflicts(listener: (conflicts: FoldConflict[]) => Promise<void>): void;
  close(): Promise<void>;
};

// Events per append transaction (and per pass of the other batched loops here); the store
// benchmark writes in the same chunks.
export const APPEND_CHUNK = 1000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
// Sealing an event (hash, personal digests, signature) costs about 0.1-0.3 ms: a chunk of a
// thousand is sealed in turns of at most this long, so an import or a message file never
// holds the main process in one stretch (the stall probe named sealing in its long turns).
const SEAL_TURN_MS = 15;

export async function createConsentLedger(deps: {
  db: AppDatabase;
  deviceId: string;
  now: () => Date;
  events: EventHub;
  directory: ContactDirectory;
  log: Logger;
  // This device's key: every event appended here carries its signature of the event's hash.
  sign: (message: string) => string;
}): Promise<ConsentLedger> {
  const { db, deviceId, now, events, directory, log, sign } = deps;
  const queue = createSerialQueue();
  // Work in flight on the queue; the projection checkpoint only moves while it is zero.
  let busy = 0;
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    busy += 1;
    return queue(task).finally(() => {
      busy -= 1;
      schedulePersist();
    });
  };
  const conflictListeners: Array<(c: FoldConflict[]) => Promise<void>> = [];

  // The head of this device's chain survives restarts: it is read back from the ledger.
  const head = await db.consent_events
    .findOne({ selector: { deviceId }, sort: [{ deviceId: 'desc' }, { seq: 'desc' }] })
    .exec();
  let seq = head ? head.seq : FIRST_SEQ - 1;
  let prevHash = head ? head.hash : GENESIS_PREV_HASH;

  // Ids this process appended and projected itself; the change stream skips them.
  const projectedHere = new Set<string>();

  /*
   * Inserted where new (most rows of an import). A row that exists comes back as a conflict
   * holding the stored version: it is written over that version in one storage write, or
   * left alone when the fold says the same (a rebuild re-folds mostly unchanged keys).
   * RxDB's bulkUpsert would modify each existing row through its document cache, one by one.
   */
  // Returns the keys of rows that were assumed new (their contact in `assumedNew`) but exist:
  // the caller re-folds them, since the row was extended from nothing.
  const writeRows = async (rows: ConsentStateRow[], assumedNew?: ReadonlySet<string>): Promise<Array<[string, string]>> => {
    const refoldKeys: Array<[string, string]> = [];
    if (rows.length === 0) return refoldKeys;
    const result = await insertDocuments(db.consent_state, rows);
    const other = result.error.find((e) => e.status !== 409);
    if (other) throw new Error(`ledger: writing the projection failed (${other.status}) for ${other.documentId}`);
    const existing = result.error.filter((e): e is RxStorageWriteErrorConflict<ConsentStateRow> => e.status === 409);
    if (existing.length > 0) {
      const byId = new Map(rows.map((r) => [r.id, r]));
      const overwrites: BulkWriteRow<ConsentStateRow>[] = [];
      for (const conflict of existing) {
        const stored = conflict.documentInDb;
        const next = byId.get(conflict.documentId);
        if (next && assumedNew?.has(next.contactId)) {
          refoldKeys.push([next.contactId, next.typeId]);
          continue;
        }
        if (next && !sameProjection(withoutStorageFields(stored), next)) overwrites.push({ previous: stored, document: { ...stored, ...next } });
      }
      const written = overwrites.length ? await db.consent_state.storageInstance.bulkWrite(overwrites, 'ledger-projection') : { error: [] };
      // Only a write in between (none is expected: projection writes run one at a time) gets here.
      const raced = new Set(written.error.map((e) => e.documentId));
      if (raced.size > 0) await upsertDocuments(db.consent_state, rows.filter((r) => raced.has(r.id)));
    }
    for (const r of rows) directory.noteStatus(r.contactId, r.typeId, r.status);
    return refoldKeys;
  };

  const reportConflicts = async (conflicts: FoldConflict[]) => {
    if (conflicts.length === 0) return;
    for (const l of conflictListeners) await l(conflicts);
  };

  const refold = async (keys: Iterable<[string, string]>) => {
    const at = now().toISOString();
    const rows: ConsentStateRow[] = [];
    const conflicts: FoldConflict[] = [];
    const list = [...keys];
    const byKey = await eventsForKeys(db, list);
    for (const [contactId, typeId] of list) {
      const update = rowFromFold(contactId, typeId, byKey.get(stateId(contactId, typeId)) ?? [], at);
      rows.push(update.row);
      conflicts.push(...update.conflicts);
    }
    await writeRows(rows);
    return conflicts;
  };

  const append: ConsentLedger['append'] = (changes, options = {}) =>
    serial(async () => {
      const inserted: ConsentEvent[] = [];
      const duplicates: string[] = [];
      const conflicts: FoldConflict[] = [];
      for (let offset = 0; offset < changes.length; offset += APPEND_CHUNK) {
        const chunk = changes.slice(offset, offset + APPEND_CHUNK);
        const result = await appendChunk(chunk, options.newContacts);
        inserted.push(...result.inserted);
        duplicates.push(...result.duplicates);
        conflicts.push(...result.conflicts);
        options.onProgress?.(Math.min(offset + APPEND_CHUNK, changes.length), changes.length);
        if (offset + APPEND_CHUNK < changes.length) await yieldToEventLoop();
      }
      if (inserted.length) events.emit({ type: 'consent:changed', contactIds: [...new Set(inserted.map((e) => e.contactId))] });
      await reportConflicts(conflicts);
      return { inserted, duplicates, conflicts };
    });

  const appendChunk = async (chunk: readonly ConsentChange[], newContacts: ReadonlySet<string> | undefined) => {
    // Only changes without an id are copied (an import's all have one).
    const withIds = chunk.map((c) => (c.id ? (c as ConsentChange & { id: string }) : { ...c, id: ulid() }));
    // Plain reads from the storage: no RxDocuments or cached queries for ids looked up once.
    const existing = await db.consent_events.storageInstance.findDocumentsById(withIds.map((c) => c.id), false);
    const seen = new Set<string>(existing.map((d) => d.id));
    const fresh: typeof withIds = [];
    const duplicates: string[] = [];
    for (const c of withIds) {
      if (seen.has(c.id)) duplicates.push(c.id);
      else {
        seen.add(c.id);
        fresh.push(c);
      }
    }
    if (fresh.length === 0) return { inserted: [], duplicates, conflicts: [] };

    const rowIds = [...new Set(fresh.filter((c) => !newContacts?.has(c.contactId)).map((c) => stateId(c.contactId, c.typeId)))];
    const rows = new Map<string, ConsentStateRow>();
    if (rowIds.length) for (const doc of await db.consent_state.storageInstance.findDocumentsById(rowIds, false)) rows.set(doc.id, withoutStorageFields(doc));

    const recordedAt = now().toISOString();
    const sealed: ConsentEvent[] = [];
    const nextRows = new Map<string, ConsentStateRow>();
    const needFold = new Map<string, [string, string]>();
    // The lookups above and the writes below are turns of their own. Nothing is written while
    // sealing, and appends run one at a time (serial), so the chain's head cannot move meanwhile.
    await yieldToEventLoop();
    let turnStart = performance.now();
    for (const c of fresh) {
      if (performance.now() - turnStart > SEAL_TURN_MS) {
        await yieldToEventLoop();
        turnStart = performance.now();
      }
      const key = stateId(c.contactId, c.typeId);
      const current = nextRows.get(key) ?? rows.get(key);
      seq += 1;
      const event = sealEvent(
        {
          id: c.id,
          contactId: c.contactId,
          typeId: c.typeId,
          status: c.status,
          previousStatus: current?.status ?? 'not_specified',
          source: c.source,
          legalBasis: c.legalBasis,
          explanation: c.explanation,
          actor: c.actor,
          evidence: c.evidence,
          occurredAt: c.occurredAt ?? recordedAt,
          recordedAt,
          deviceId,
          seq,
          basedOn: c.basedOn ?? current?.lastEventId ?? '',
        },
        prevHash,
        sign,
      );
      prevHash = event.hash;
      sealed.push(event);
      if (needFold.has(key)) continue;
      const extended = extendRow(current, event, recordedAt);
      if (extended) nextRows.set(key, extended);
      else {
        nextRows.delete(key);
        needFold.set(key, [c.contactId, c.typeId]);
      }
    }

    await yieldToEventLoop();
    for (const e of sealed) projectedHere.add(e.id);
    const result = await insertDocuments(db.consent_events, sealed);
    if (result.error.length > 0) {
      // Only a concurrent insert of the same deterministic id (by replication) can get
      // here; that event exists, so nothing is lost, but this device's chain now has a gap
      // that the integrity check will name.
      log.error(`ledger: ${result.error.length} events were already present when inserted`, result.error.map((e) => e.documentId));
    }
    const failed = new Set(result.error.map((e) => e.documentId));
    const inserted = sealed.filter((e) => !failed.has(e.id));
    const stale = await writeRows([...nextRows.values()], newContacts);
    const conflicts = await refold([...needFold.values(), ...stale]);
    return { inserted, duplicates: [...duplicates, ...failed], conflicts };
  };

  // Events inserted by anything else (replication, another writer) are projected here,
  // by a full fold of each touched key, since they can arrive in any order.
  const pending = new Map<string, [string, string]>();
  let drain: Promise<void> = Promise.resolve();
  const schedule = () => {
    drain = drain.then(async () => {
      while (pending.size > 0) {
        // In index order, so each chunk's events can be read in one walk (eventsForKeys).
        const batch = [...pending.values()].sort(byContactAndType);
        for (let i = 0; i < batch.length; i += APPEND_CHUNK) {
          const keys = batch.slice(i, i + APPEND_CHUNK);
          // Taken off just before their re-fold: an event arriving meanwhile puts its key back.
          for (const [c, t] of keys) pending.delete(stateId(c, t));
          const conflicts = await serial(() => refold(keys));
          events.emit({ type: 'consent:changed', contactIds: [...new Set(keys.map(([c]) => c))] });
          await reportConflicts(conflicts);
        }
      }
    }).catch((e: unknown) => log.error('ledger: projecting arrived events failed', e));
  };
  const sub: Subscription = onDocChanges(db.consent_events, (ev) => {
    if (ev.operation !== 'INSERT' && ev.operation !== 'UPDATE') return;
    seenUpTo = laterCheckpoint(seenUpTo, { id: ev.documentData.id, lwt: ev.documentData._meta.lwt });
    if (projectedHere.delete(ev.documentId)) return;
    const { contactId, typeId } = ev.documentData;
    const wasEmpty = pending.size === 0;
    pending.set(stateId(contactId, typeId), [contactId, typeId]);
    if (wasEmpty) schedule();
  });

  // Heal the projection from where it was last known complete (see projection-checkpoint.ts).
  let persisted = await loadCheckpoint(db);
  let seenUpTo: ChangeCheckpoint | undefined = persisted;
  let persistTimer: NodeJS.Timeout | undefined;
  const persistIfIdle = async () => {
    if (busy > 0 || pending.size > 0 || !seenUpTo || seenUpTo === persisted) return;
    const target = seenUpTo;
    await saveCheckpoint(db, target, now().toISOString());
    persisted = target;
  };
  function schedulePersist() {
    if (persistTimer) return;
    persistTimer = setTimeout(() => {
      persistTimer = undefined;
      persistIfIdle().catch((e: unknown) => log.error('ledger: saving the projection checkpoint failed', e));
    }, 250);
    persistTimer.unref();
  }
  {
    const { keys, latest } = await changedSince(db, persisted);
    if (keys.size > 0) {
      const list = [...keys.values()].sort(byContactAndType);
      for (let i = 0; i < list.length; i += APPEND_CHUNK) await reportConflicts(await refold(list.slice(i, i + APPEND_CHUNK)));
      log.info(`ledger: re-projected ${keys.size} subscriptions changed since the last checkpoint`);
    }
    if (latest) {
      seenUpTo = laterCheckpoint(seenUpTo, latest);
      await persistIfIdle();
    }
  }

  const toRow = (doc: { toMutableJSON(): unknown } | null) => (doc ? (doc.toMutableJSON() as ConsentStateRow) : null);

  return {
    append,
    state: async (contactId, typeId) => toRow(await db.consent_state.findOne(stateId(contactId, typeId)).exec()),
    statesForContact: async (contactId) =>
      (await db.consent_state.find({ selector: { contactId } }).exec()).map((d) => d.toMutableJSON() as ConsentStateRow),
    events: async (contactId, typeId) =>
      (await db.consent_events.find({ selector: typeId ? { contactId, typeId } : { contactId } }).exec()).map(
        (d) => d.toMutableJSON() as ConsentEvent,
      ),
    settled: async () => {
      await serial(async () => undefined);
      while (pending.size > 0) await drain;
      await drain;
    },
    rebuildProjection: () =>
      serial(async () => {
        // Keys only, read in pages: a million events never sit in memory as documents.
        const keys = new Map<string, [string, string]>();
        let count = 0;
        await scanStore(db.consent_events, (d) => {
          count += 1;
          keys.set(stateId(d.contactId, d.typeId), [d.contactId, d.typeId]);
        });
        const stale: string[] = [];
        await scanStore(db.consent_state, (d) => {
          if (!keys.has(d.id)) stale.push(d.id);
        });
        if (stale.length) await db.consent_state.bulkRemove(stale);
        const list = [...keys.values()].sort(byContactAndType);
        for (let i = 0; i < list.length; i += APPEND_CHUNK) {
          await refold(list.slice(i, i + APPEND_CHUNK));
          await yieldToEventLoop();
        }
        const { latest } = await changedSince(db, seenUpTo);
        if (latest) seenUpTo = laterCheckpoint(seenUpTo, latest);
        return { keys: keys.size, events: count };
      }),
    refoldKeys: (keys) =>
      serial(async () => {
        const list = [...keys].sort(byContactAndType);
        for (let i = 0; i < list.length; i += APPEND_CHUNK) {
          await refold(list.slice(i, i + APPEND_CHUNK));
          await yieldToEventLoop();
        }
      }),
    onConflicts: (listener) => {
      conflictListeners.push(listener);
    },
    async close() {
      sub.unsubscribe();
      if (persistTimer) clearTimeout(persistTimer);
      persistTimer = undefined;
      await persistIfIdle();
    },
  };
}
