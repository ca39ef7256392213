import type { ConsentEvent } from '../../shared/domain';
import { provenKeptLinks } from '../integrity/kept-links';
import { createSerialQueue } from '../ledger/serial-queue';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { insertDocuments } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import { checkConsentEvent, checkShape, type ArrivalVerdict, type ChainView } from './arrival-checks';
import { createQuarantineStore, excerptOf, type QuarantineStore } from './quarantine-store';
import { SYNCED_COLLECTIONS, type SyncedCollection } from './sync-collections';

/*
 * The one place replicated documents are checked (DESIGN "Trust boundaries"): every batch
 * the server's `_changes` feed returns passes here before RxDB may write any of it. A
 * document that fails is taken out of the batch and quarantined; the batch's checkpoint
 * still moves on, so one bad document never holds up the rest. Documents that wait for
 * something (an event's predecessor, its contact) are checked again whenever that kind of
 * document arrives, and enter the ledger once they pass.
 */
export type ArrivalGate = {
  // The rows of one `_changes` answer for a collection, less the ones that failed.
  admit(collection: SyncedCollection, rows: readonly unknown[]): Promise<unknown[]>;
  quarantine: QuarantineStore;
  // Resolves when every check and re-check started so far has ended.
  settled(): Promise<void>;
  close(): void;
};

// The server's bookkeeping on a CouchDB document, not part of what the app wrote.
const COUCH_FIELDS = new Set(['_id', '_rev', '_deleted', '_attachments', '_conflicts', '_revisions', '_revs_info', '_local_seq', '_deleted_conflicts']);

const PREFETCH_SPAN = 5000;
// A bound on admitted events not yet written, far above the pages RxDB has in flight.
const IN_FLIGHT_LIMIT = 50_000;
const slotOf = (deviceId: string, seq: number) => `${deviceId}\u001f${seq}`;
// By device, then seq; documents not yet shape-checked may lack either, and sort anywhere.
const byChainSlot = (a: ConsentEvent, b: ConsentEvent): number => {
  const [da, db] = [String(a.deviceId), String(b.deviceId)];
  return da < db ? -1 : da > db ? 1 : (Number(a.seq) || 0) - (Number(b.seq) || 0);
};

type ChangeRow = { id?: unknown; deleted?: unknown; doc?: unknown };

// The document as the app wrote it: the primary key back in its field, the server's fields gone.
function appDocument(primaryKey: string, couch: Record<string, unknown>): { doc: Record<string, unknown>; idClash: boolean } {
  const doc: Record<string, unknown> = {};
  for (const key of Object.keys(couch)) if (!COUCH_FIELDS.has(key)) doc[key] = couch[key];
  const idClash = primaryKey in doc && doc[primaryKey] !== couch._id;
  doc[primaryKey] = couch._id;
  return { doc, idClash };
}

export function createArrivalGate(deps: { db: AppDatabase; log: Logger; now: () => Date }): ArrivalGate {
  const { db, log, now } = deps;
  const quarantine = createQuarantineStore(db);
  const serial = createSerialQueue();
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const track = <T>(p: Promise<T>): Promise<T> => {
    tail = p.then(() => undefined, () => undefined);
    return p;
  };

  /*
   * Events this gate admitted that RxDB has not written yet. RxDB reads the next `_changes` page
   * while it still writes the last one, so an event's predecessor is often admitted but not yet
   * in the store: without this, every device's next event in the new page, and every one after
   * it in that page, would be kept aside as missing its predecessor and written again later.
   * An entry leaves when its event is written; a page admitted and never written is read again
   * from the same checkpoint, so an entry here never stands for an event that will not come.
   */
  const inFlight = new Map<string, ConsentEvent>();

  const storedEvent = async (deviceId: string, seq: number): Promise<ConsentEvent | undefined> =>
    (await queryPlain(db.consent_events, { selector: { deviceId, seq }, limit: 1 }))[0];

  /*
   * The store, plus events accepted earlier in the same batch (not yet written by RxDB). What
   * a batch of events needs is read up front, in one range read per device and one read of
   * their contacts, so a batch of a hundred costs a few reads, not a few hundred.
   */
  const chainView = async (batch: readonly ConsentEvent[], accepted: Map<string, ConsentEvent>): Promise<ChainView> => {
    // Taken before the store is read: an event written (and so gone from inFlight) after this
    // copy is in what the read below sees; one written before it is in the store already.
    const admitted = new Map(inFlight);
    const stored = new Map<string, ConsentEvent>();
    const covered = new Set<string>();
    const seqs = new Map<string, { min: number; max: number }>();
    for (const e of batch) {
      if (typeof e.deviceId !== 'string' || !Number.isSafeInteger(e.seq)) continue;
      const r = seqs.get(e.deviceId);
      seqs.set(e.deviceId, r ? { min: Math.min(r.min, e.seq), max: Math.max(r.max, e.seq) } : { min: e.seq, max: e.seq });
    }
    for (const [deviceId, { min, max }] of seqs) {
      // A forged seq far from the rest would make the range huge: such devices are read per event.
      if (max - min > PREFETCH_SPAN) continue;
      const found = await queryPlain(db.consent_events, { selector: { deviceId, seq: { $gte: min - 1, $lte: max } } });
      for (const e of found) stored.set(slotOf(e.deviceId, e.seq), e);
      covered.add(deviceId);
    }
    const contactIds = [...new Set(batch.map((e) => e.contactId).filter((id): id is string => typeof id === 'string'))];
    const contacts = new Set(contactIds.length ? (await db.contacts.storageInstance.findDocumentsById(contactIds, true)).map((d) => d.id) : []);
    return {
      eventAt: async (deviceId, seq) =>
        accepted.get(slotOf(deviceId, seq)) ?? admitted.get(slotOf(deviceId, seq)) ?? (covered.has(deviceId) ? stored.get(slotOf(deviceId, seq)) : await storedEvent(deviceId, seq)),
      keptLinkAt: async (deviceId, seq) => (await provenKeptLinks(db, deviceId)).find((e) => e.seq === seq),
      contactExists: async (contactId) =>
        contacts.has(contactId) || (await db.contacts.storageInstance.findDocumentsById([contactId], true)).length > 0,
    };
  };

  const verdictFor = async (collection: SyncedCollection, doc: Record<string, unknown>, bytes: number, view: ChainView): Promise<ArrivalVerdict> => {
    const shape = checkShape(collection, doc, bytes);
    if (!shape.ok || collection !== 'consent_events') return shape;
    return checkConsentEvent(doc as ConsentEvent, view);
  };

  const keepAside = async (collection: SyncedCollection, docId: string, verdict: Exclude<ArrivalVerdict, { ok: true }>, doc: Record<string, unknown>, text: string) => {
    const tooLarge = verdict.reason === 'too_large';
    await quarantine.put({
      collection,
      docId,
      reason: verdict.reason,
      detail: verdict.detail,
      waitingFor: verdict.waitingFor ?? '',
      lastCheckedAt: now().toISOString(),
      bytes: text.length,
      doc: tooLarge ? null : doc,
      excerpt: excerptOf(text),
    });
    log.warn(`sync: ${collection} document ${docId.slice(0, 200)} kept aside (${verdict.reason}): ${verdict.detail}`);
  };

  const admitBatch = async (collection: SyncedCollection, rows: readonly unknown[]): Promise<unknown[]> => {
    const collectionRef = db.collections[collection];
    const primaryKey = collectionRef.schema.primaryPath as string;
    const insertOnly = SYNCED_COLLECTIONS[collection] === 'insert_only';
    const candidates = rows
      .map((row) => row as ChangeRow)
      .filter((row) => !row.deleted && row.doc && typeof row.doc === 'object' && typeof (row.doc as { _id?: unknown })._id === 'string');
    const ids = candidates.map((row) => (row.doc as { _id: string })._id);
    // A record already held is not taken again (insert-only), whatever the server now says.
    const held = insertOnly ? new Set((await collectionRef.storageInstance.findDocumentsById(ids, true)).map((d) => (d as Record<string, unknown>)[primaryKey] as string)) : new Set<string>();
    const accepted = new Map<string, ConsentEvent>();
    const fresh = candidates.filter((row) => !held.has((row.doc as { _id: string })._id));
    const view = await chainView(collection === 'consent_events' ? fresh.map((row) => row.doc as ConsentEvent) : [], accepted);
    const refused = new Set<unknown>();
    // Checked in chain order: a server need not list a device's events in seq order within a
    // page (pouchdb-server does not keep the order of one `_bulk_docs`), and an event checked
    // before its predecessor in the same page would be kept aside for nothing.
    const inChainOrder = collection === 'consent_events' ? [...fresh].sort((x, y) => byChainSlot(x.doc as ConsentEvent, y.doc as ConsentEvent)) : fresh;
    for (const row of inChainOrder) {
      const couch = row.doc as Record<string, unknown> & { _id: string };
      const text = JSON.stringify(couch);
      const { doc, idClash } = appDocument(primaryKey, couch);
      const verdict: ArrivalVerdict = idClash
        ? { ok: false, reason: 'malformed', detail: `its ${primaryKey} field differs from its document id` }
        : await verdictFor(collection, doc, text.length, view);
      if (verdict.ok) {
        if (collection === 'consent_events') {
          const event = doc as ConsentEvent;
          accepted.set(slotOf(event.deviceId, event.seq), event);
        }
        await quarantine.release(collection, couch._id);
      } else {
        refused.add(row);
        await keepAside(collection, couch._id, verdict, doc, text);
      }
    }
    if (inFlight.size + accepted.size > IN_FLIGHT_LIMIT) inFlight.clear();
    for (const [key, event] of accepted) inFlight.set(key, event);
    return rows.filter((row) => !refused.has(row));
  };

  // Quarantined events that waited for something, checked again; those that pass enter the
  // ledger (which projects them like any arrival). Repeated while any passes: one can be
  // what the next waited for.
  const recheck = async () => {
    for (;;) {
      if (closed) return;
      const kept = (await quarantine.waiting()).filter((e) => e.collection === 'consent_events');
      if (kept.length === 0) return;
      // An event kept aside can still reach the store by another read of the same page (RxDB
      // reads a page again after a retry or a nudge, and a later copy may pass): it is no longer
      // a problem, and the entry goes.
      const stored = new Set((await db.consent_events.storageInstance.findDocumentsById(kept.map((e) => e.docId), false)).map((d) => d.id));
      for (const e of kept) if (stored.has(e.docId)) await quarantine.release('consent_events', e.docId);
      const waiting = kept.filter((e) => !stored.has(e.docId));
      if (waiting.length === 0) return;
      const before = new Map(waiting.map((e) => [e.docId, `${e.reason}|${e.waitingFor}`]));
      const events = waiting.map((e) => e.doc as unknown as ConsentEvent).sort(byChainSlot);
      const accepted = new Map<string, ConsentEvent>();
      const view = await chainView(events, accepted);
      const passed: ConsentEvent[] = [];
      for (const event of events) {
        const text = JSON.stringify(event);
        const verdict = await verdictFor('consent_events', event as unknown as Record<string, unknown>, text.length, view);
        if (verdict.ok) {
          accepted.set(slotOf(event.deviceId, event.seq), event);
          passed.push(event);
        } else if (before.get(event.id) !== `${verdict.reason}|${verdict.waitingFor ?? ''}`) {
          // Still waiting for the same thing: nothing to write.
          await keepAside('consent_events', event.id, verdict, event as unknown as Record<string, unknown>, text);
        }
      }
      if (passed.length === 0) return;
      const held = new Set((await db.consent_events.storageInstance.findDocumentsById(passed.map((e) => e.id), true)).map((d) => d.id));
      const fresh = passed.filter((e) => !held.has(e.id));
      if (fresh.length > 0) await insertDocuments(db.consent_events, fresh);
      for (const e of passed) await quarantine.release('consent_events', e.id);
      log.info(`sync: ${passed.length} events kept aside passed their checks on a second look`);
    }
  };

  // What waiting events wait for arrives as events, contacts or filed chain links.
  let recheckQueued = false;
  const scheduleRecheck = () => {
    if (recheckQueued || closed) return;
    recheckQueued = true;
    track(
      serial(async () => {
        recheckQueued = false;
        await recheck();
      }),
    ).catch((e: unknown) => log.error('sync: checking kept-aside documents again failed', e));
  };
  const subs = [db.consent_events, db.contacts, db.audit_log].map((c) =>
    (c.eventBulks$ as { subscribe(f: () => void): { unsubscribe(): void } }).subscribe(scheduleRecheck),
  );
  subs.push(
    db.consent_events.eventBulks$.subscribe((bulk) => {
      if (inFlight.size === 0) return;
      for (const e of bulk.events) inFlight.delete(slotOf(e.documentData.deviceId, e.documentData.seq));
    }),
  );
  scheduleRecheck();

  return {
    admit: (collection, rows) =>
      track(serial(() => admitBatch(collection, rows))).catch((e: unknown) => {
        // The pull fails and is retried; said once here, since RxDB's own report is swallowed.
        log.error(`sync: checking arrived ${collection} failed`, e);
        throw e;
      }),
    quarantine,
    settled: async () => {
      let seen: Promise<unknown> | undefined;
      while (seen !== tail) {
        seen = tail;
        await tail;
      }
    },
    close() {
      closed = true;
      for (const s of subs) s.unsubscribe();
    },
  };
}
