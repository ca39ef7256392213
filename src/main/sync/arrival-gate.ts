import type { ConsentEvent } from '../../shared/domain';
import { isDeviceRecordAction, isRootClaim, recordOfEntry, type DeviceRecord } from '../device/device-records';
import type { DeviceRegistry } from '../device/device-registry';
import type { DeviceTrust } from '../device/device-trust';
import { provenKeptLinks } from '../integrity/kept-links';
import { createSerialQueue } from '../ledger/serial-queue';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import type { RxCollection } from 'rxdb';
import { insertDocuments, insertMissing, upsertDocuments } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import { asArrivalWrite } from './change-author';
import { mergeByField, type MergeDoc } from './field-merge';
import { checkRoleRecord, checkSignedChange, isSignedCollection, type DeviceKeyLookup, type SignedCollection } from './signed-changes';
import { checkManifestEntry, isLegacyManifestAction, legacyFieldDigest, vouchedLegacyFields } from './legacy-manifest';
import { heldRoleVersions, roleVersionOfUser } from './role-history';
import { isRoleRecordAction, roleAt, roleRecordOfEntry, versionOfRecord, type RoleVersion } from './role-records';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { chainHeadVerdict, isChainHeadDoc } from './arrival-chain-heads';
import { checkConsentEvent, checkShape, type ArrivalVerdict, type ChainView } from './arrival-checks';
import { createQuarantineStore, excerptOf, type QuarantineStore } from './quarantine-store';
import { SYNCED_COLLECTIONS, type SyncedCollection } from './sync-collections';
import { settleLatest } from '../settle-latest';

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
  /*
   * The server's answer to a push that met a conflict (its copy of the document), in RxDB's
   * or CouchDB's form: the same checks as a pulled copy. False when it fails (it is then kept aside) and
   * must not count. A copy that only waits (another device's event before its predecessor
   * arrived) is not refused: it never enters the store this way, the local copy stands.
   */
  checkMasterState(collection: SyncedCollection, doc: unknown): Promise<boolean>;
  // Every kept-aside document checked again now ("re-check now" in Sync problems); those
  // that pass enter the store.
  recheckAll(): Promise<void>;
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

/*
 * An enrolment or revocation record: its signer must be enrolled here (else it waits for the
 * signer's enrolment), and the user who approved it on that device an administrator at the
 * record's time (else it waits for that user's role history). A root claim other than this
 * device's root is let in: it grants nothing (the registry counts only the pinned root), and
 * every device that joined an organisation made one at its first run.
 */
async function deviceRecordVerdict(
  doc: Record<string, unknown>,
  registry: DeviceRegistry,
  roleOf: (userId: string, at: string) => Promise<string>,
): Promise<ArrivalVerdict & { record?: DeviceRecord }> {
  const found = recordOfEntry(doc);
  if ('problem' in found) return { ok: false, reason: 'malformed', detail: found.problem };
  const { record } = found;
  const verdict = registry.checkRecord(record);
  if (!verdict.ok && verdict.reason !== 'untrusted_root') return { ...verdict, record };
  if (record.kind === 'pairing' || isRootClaim(record)) return { ok: true, record };
  const role = await roleOf(record.signer.userId, record.at);
  if (role === 'admin') return { ok: true, record };
  return {
    ok: false,
    reason: 'not_allowed',
    detail: `approved by ${record.signer.userId || 'no user'} (${role || 'no known role'} at ${record.at}), who may not ${record.kind === 'enrol' ? 'enrol' : 'revoke'} devices`,
    waitingFor: `user:${record.signer.userId}`,
    record,
  };
}

const isRoleRecordDoc = (collection: SyncedCollection, doc: Record<string, unknown>) => collection === 'audit_log' && isRoleRecordAction(doc.action);
// Role records in the order of their stamps: a record's author may be given their role by an earlier one.
const roleStampOf = (doc: Record<string, unknown>) => {
  const found = roleRecordOfEntry(doc);
  return 'record' in found ? found.record.stamp : '';
};
const byRoleStamp = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const [x, y] = [roleStampOf(a), roleStampOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

// A kept-aside entry whose new verdict waits for the same thing: nothing new to write.
const sameWait = (entry: { reason: string; waitingFor: string }, verdict: { reason: string; waitingFor?: string }) =>
  entry.reason === verdict.reason && entry.waitingFor === (verdict.waitingFor ?? '');

const isDeviceRecordDoc = (collection: SyncedCollection, doc: Record<string, unknown>) => collection === 'audit_log' && isDeviceRecordAction(doc.action);

// The signing keys of the devices the registry holds enrolled (at the change's stamp, or now:
// a device signs its first profile before it is approved).
const registryKeys = (registry: DeviceRegistry): DeviceKeyLookup => async (deviceId, at) => {
  const then = registry.deviceAt(deviceId, at);
  if (then.status === 'enrolled') return then.publicKey;
  const current = registry.deviceAt(deviceId, new Date().toISOString());
  return current.status === 'enrolled' ? current.publicKey : null;
};

// deviceKey: replaces the registry as the source of enrolled devices' keys for signed changes
// to users, settings, rules and types (signed-changes.ts; tests that play the registry).
export function createArrivalGate(deps: { db: AppDatabase; log: Logger; now: () => Date; trust: DeviceTrust; deviceKey?: DeviceKeyLookup }): ArrivalGate {
  const { db, log, now, trust, deviceKey } = deps;
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

  /*
   * The role history (role-records.ts): what the store holds, read once per check or re-check
   * (fresh: cleared at the start of each), plus the versions accepted earlier in the batch being
   * checked, not yet written by RxDB.
   */
  let heldVersions: Promise<RoleVersion[]> | null = null;
  const batchVersions: RoleVersion[] = [];
  const freshRoles = () => {
    heldVersions = null;
    batchVersions.length = 0;
  };
  const roleVersions = async () => {
    heldVersions ??= heldRoleVersions(db);
    return [...(await heldVersions), ...batchVersions];
  };
  const roleOf = async (userId: string, at: string) => roleAt(await roleVersions(), userId, at);

  const roleRecordVerdict = async (doc: Record<string, unknown>, lookup: DeviceKeyLookup): Promise<ArrivalVerdict> => {
    const found = roleRecordOfEntry(doc);
    if ('problem' in found) return { ok: false, reason: 'malformed', detail: found.problem };
    return checkRoleRecord(found.record, lookup, await roleVersions());
  };

  const signedChangeVerdict = async (collection: SignedCollection, doc: Record<string, unknown>, lookup: DeviceKeyLookup, registry: DeviceRegistry): Promise<ArrivalVerdict> => {
    const primaryKey = db.collections[collection].schema.primaryPath as string;
    const [held] = await db.collections[collection].storageInstance.findDocumentsById([String(doc[primaryKey])], false);
    const vouchedLegacy = async (c: SignedCollection, docId: string, fields: ReadonlyArray<readonly [string, unknown]>) => {
      const vouched = await vouchedLegacyFields(db, registry);
      return fields.every(([field, value]) => vouched.has(legacyFieldDigest(c, docId, field, value)));
    };
    const verdict = await checkSignedChange({ collection, primaryKey, arriving: doc, held: held as Record<string, unknown> | undefined, deviceKey: lookup, roleOf, vouchedLegacy });
    if (!verdict.ok) return verdict;
    if (verdict.legacy) log.info(`sync: ${collection} document ${String(doc[primaryKey]).slice(0, 200)} taken as legacy (written before changes were signed)`);
    return { ok: true };
  };

  const verdictFor = async (
    collection: SyncedCollection,
    doc: Record<string, unknown>,
    bytes: number,
    view: ChainView,
    registry: DeviceRegistry,
  ): Promise<ArrivalVerdict & { record?: DeviceRecord }> => {
    const shape = checkShape(collection, doc, bytes);
    if (!shape.ok) return shape;
    if (isDeviceRecordDoc(collection, doc)) return deviceRecordVerdict(doc, registry, roleOf);
    if (isChainHeadDoc(collection, doc)) return chainHeadVerdict(doc, registry);
    if (isRoleRecordDoc(collection, doc)) return roleRecordVerdict(doc, deviceKey ?? registryKeys(registry));
    if (collection === 'audit_log' && isLegacyManifestAction(doc.action)) return checkManifestEntry(doc, registry);
    if (isSignedCollection(collection)) return signedChangeVerdict(collection, doc, deviceKey ?? registryKeys(registry), registry);
    if (collection !== 'consent_events') return shape;
    const chain = await checkConsentEvent(doc as ConsentEvent, view);
    if (!chain.ok) return chain;
    const signed = registry.checkEvent(doc as ConsentEvent);
    return signed.ok ? { ok: true } : signed;
  };

  const asideEntry = (collection: SyncedCollection, docId: string, verdict: Exclude<ArrivalVerdict, { ok: true }>, doc: Record<string, unknown>, text: string) => {
    log.warn(`sync: ${collection} document ${docId.slice(0, 200)} kept aside (${verdict.reason}): ${verdict.detail}`);
    return {
      collection,
      docId,
      reason: verdict.reason,
      detail: verdict.detail,
      waitingFor: verdict.waitingFor ?? '',
      lastCheckedAt: now().toISOString(),
      bytes: text.length,
      doc: verdict.reason === 'too_large' ? null : doc,
      excerpt: excerptOf(text),
    };
  };
  const keepAside = (collection: SyncedCollection, docId: string, verdict: Exclude<ArrivalVerdict, { ok: true }>, doc: Record<string, unknown>, text: string) =>
    quarantine.put(asideEntry(collection, docId, verdict, doc, text));

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
    const registry = await trust.registry();
    // Device records accepted earlier in the batch count for the ones after them.
    const acceptedRecords: DeviceRecord[] = [];
    const aside: Array<ReturnType<typeof asideEntry>> = [];
    const passedIds: string[] = [];
    // Checked in chain order: a server need not list a device's events in seq order within a
    // page (pouchdb-server does not keep the order of one `_bulk_docs`), and an event checked
    // before its predecessor in the same page would be kept aside for nothing.
    freshRoles();
    const inChainOrder =
      collection === 'consent_events'
        ? [...fresh].sort((x, y) => byChainSlot(x.doc as ConsentEvent, y.doc as ConsentEvent))
        : collection === 'audit_log'
          ? [...fresh].sort((x, y) => byRoleStamp(x.doc as Record<string, unknown>, y.doc as Record<string, unknown>))
          : fresh;
    for (const row of inChainOrder) {
      const couch = row.doc as Record<string, unknown> & { _id: string };
      const text = JSON.stringify(couch);
      const { doc, idClash } = appDocument(primaryKey, couch);
      const verdict: ArrivalVerdict & { record?: DeviceRecord } = idClash
        ? { ok: false, reason: 'malformed', detail: `its ${primaryKey} field differs from its document id` }
        : await verdictFor(collection, doc, text.length, view, registry.including(acceptedRecords));
      if (verdict.ok) {
        if (collection === 'users') batchVersions.push(...roleVersionOfUser(doc));
        if (isRoleRecordDoc(collection, doc)) {
          const found = roleRecordOfEntry(doc);
          if ('record' in found) batchVersions.push(versionOfRecord(found.record));
        }
        if (collection === 'consent_events') {
          const event = doc as ConsentEvent;
          accepted.set(slotOf(event.deviceId, event.seq), event);
        }
        if (verdict.record) acceptedRecords.push(verdict.record);
        passedIds.push(couch._id);
      } else {
        refused.add(row);
        aside.push(asideEntry(collection, couch._id, verdict, doc, text));
        // A record waiting for its signer may be what makes a joining device enrolled (trust.offer).
        if (verdict.record && verdict.waitingFor) scheduleRecheck();
      }
    }
    freshRoles();
    await quarantine.putMany(aside);
    await quarantine.releaseMany(collection, passedIds);
    if (inFlight.size + accepted.size > IN_FLIGHT_LIMIT) inFlight.clear();
    for (const [key, event] of accepted) inFlight.set(key, event);
    return rows.filter((row) => !refused.has(row));
  };

  // Quarantined device records that waited for their signer (or its user's role), chain heads
  // that waited for their device, and role records that waited for their device or author,
  // checked again; those that pass enter the audit log (and so the registry and the role
  // history). A joining device first looks in them for the chain that enrolled it. Passes
  // repeat while one lets in another. True when any passed.
  const recheckRecords = async (): Promise<boolean> => {
    const waiting = (await quarantine.waiting()).filter((e) => e.collection === 'audit_log' && e.doc !== null);
    if (waiting.length === 0) return false;
    const found = waiting.map((e) => ({ entry: e, doc: e.doc as Record<string, unknown>, parsed: recordOfEntry(e.doc as Record<string, unknown>) }));
    await trust.offer(found.flatMap((f) => ('record' in f.parsed ? [f.parsed.record] : [])));
    const registry = await trust.registry();
    freshRoles();
    const acceptedRecords: DeviceRecord[] = [];
    const passed: Array<Record<string, unknown>> = [];
    const at = (f: (typeof found)[number]) => ('record' in f.parsed ? f.parsed.record.at : roleStampOf(f.doc));
    let left = found.sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
    const verdicts = new Map<string, ArrivalVerdict>();
    for (let progress = true; progress && left.length > 0; ) {
      progress = false;
      const next: typeof left = [];
      for (const f of left) {
        const withBatch = registry.including(acceptedRecords);
        const verdict = isChainHeadDoc('audit_log', f.doc)
          ? chainHeadVerdict(f.doc, withBatch)
          : isRoleRecordAction(f.doc.action)
          ? await roleRecordVerdict(f.doc, deviceKey ?? registryKeys(withBatch))
          : isLegacyManifestAction(f.doc.action)
            ? checkManifestEntry(f.doc, withBatch)
            : await deviceRecordVerdict(f.doc, withBatch, roleOf);
        if (verdict.ok) {
          if ('record' in f.parsed) acceptedRecords.push(f.parsed.record);
          const role = roleRecordOfEntry(f.doc);
          if ('record' in role) batchVersions.push(versionOfRecord(role.record));
          passed.push(f.doc);
          progress = true;
        } else {
          verdicts.set(f.entry.docId, verdict);
          next.push(f);
        }
      }
      left = next;
    }
    freshRoles();
    for (const f of left) {
      const verdict = verdicts.get(f.entry.docId);
      if (verdict && !verdict.ok && !sameWait(f.entry, verdict)) await keepAside('audit_log', f.entry.docId, verdict, f.doc, JSON.stringify(f.doc));
    }
    if (passed.length === 0) return false;
    await insertMissing(db.audit_log, passed as unknown as AuditLogDoc[]);
    await quarantine.releaseMany('audit_log', passed.map((d) => String(d.id)));
    log.info(`sync: ${passed.length} device and role records kept aside passed their checks on a second look`);
    return true;
  };

  // Quarantined events that waited for something, checked again; those that pass enter the
  // ledger (which projects them like any arrival). True when any passed: one can be what the
  // next waited for.
  const recheckEvents = async (every = false): Promise<boolean> => {
    const kept = (every ? (await quarantine.all()).filter((e) => e.doc !== null) : await quarantine.waiting()).filter((e) => e.collection === 'consent_events');
    if (kept.length === 0) return false;
    // An event kept aside can still reach the store by another read of the same page (RxDB
    // reads a page again after a retry or a nudge, and a later copy may pass): it is no longer
    // a problem, and the entry goes.
    const stored = new Set((await db.consent_events.storageInstance.findDocumentsById(kept.map((e) => e.docId), false)).map((d) => d.id));
    await quarantine.releaseMany('consent_events', kept.filter((e) => stored.has(e.docId)).map((e) => e.docId));
    const waiting = kept.filter((e) => !stored.has(e.docId));
    if (waiting.length === 0) return false;
    const before = new Map(waiting.map((e) => [e.docId, e]));
    const events = waiting.map((e) => e.doc as unknown as ConsentEvent).sort(byChainSlot);
    const accepted = new Map<string, ConsentEvent>();
    const view = await chainView(events, accepted);
    const registry = await trust.registry();
    const passed: ConsentEvent[] = [];
    const aside: Array<ReturnType<typeof asideEntry>> = [];
    for (const event of events) {
      const text = JSON.stringify(event);
      const verdict = await verdictFor('consent_events', event as unknown as Record<string, unknown>, text.length, view, registry);
      if (verdict.ok) {
        accepted.set(slotOf(event.deviceId, event.seq), event);
        passed.push(event);
      } else if (every || !sameWait(before.get(event.id) ?? { reason: '', waitingFor: '' }, verdict)) {
        // Still waiting for the same thing after an arrival: nothing to write ("re-check now" notes the time).
        aside.push(asideEntry('consent_events', event.id, verdict, event as unknown as Record<string, unknown>, text));
      }
    }
    await quarantine.putMany(aside);
    if (passed.length === 0) return false;
    await insertMissing(db.consent_events, passed);
    await quarantine.releaseMany('consent_events', passed.map((e) => e.id));
    log.info(`sync: ${passed.length} events kept aside passed their checks on a second look`);
    return true;
  };

  /*
   * Kept-aside mutable documents (users, settings, rules, types …) checked again: those that
   * waited (for a device's enrolment, an author's profile) when what they wait for may have
   * arrived, every one on "re-check now". One that passes joins the store as if it had just
   * been pulled: inserted when new here, merged field by field (with its own stamps and
   * signatures) when the device holds the document. Device records have their own look above.
   */
  const recheckOthers = async (every: boolean): Promise<boolean> => {
    const kept = every ? await quarantine.all() : await quarantine.waiting();
    const entries = kept.filter((e) => e.collection !== 'consent_events' && e.collection !== 'audit_log');
    if (entries.length === 0) return false;
    freshRoles();
    const at = now().toISOString();
    const registry = await trust.registry();
    // These collections have no chain: one empty view serves every entry.
    const view = await chainView([], new Map());
    let passed = 0;
    for (const entry of entries) {
      if (closed) return false;
      if (entry.doc === null) {
        await quarantine.put({ ...entry, lastCheckedAt: at });
        continue;
      }
      const text = JSON.stringify(entry.doc);
      const verdict = await verdictFor(entry.collection, entry.doc, text.length, view, registry);
      if (!verdict.ok) {
        if (every || !sameWait(entry, verdict)) await keepAside(entry.collection, entry.docId, verdict, entry.doc, text);
        continue;
      }
      await asArrivalWrite(() => storeArrived(entry.collection, entry.doc ?? {}));
      await quarantine.release(entry.collection, entry.docId);
      passed += 1;
    }
    return passed > 0;
  };

  const storeArrived = async (collection: SyncedCollection, doc: Record<string, unknown>) => {
    const ref = db.collections[collection] as unknown as RxCollection<Record<string, unknown>>;
    const primaryKey = ref.schema.primaryPath as string;
    const id = doc[primaryKey];
    if (typeof id !== 'string') return;
    const [held] = await ref.storageInstance.findDocumentsById([id], false);
    if (!held) {
      await insertDocuments(ref, [doc]);
      return;
    }
    if (SYNCED_COLLECTIONS[collection] === 'insert_only') return;
    const { _deleted: _d, ...merged } = mergeByField(held as MergeDoc, doc as MergeDoc, undefined, primaryKey);
    await upsertDocuments(ref, [merged]);
  };

  const recheck = async () => {
    for (;;) {
      if (closed) return;
      const records = await recheckRecords();
      if (closed) return;
      const events = await recheckEvents();
      if (closed) return;
      const others = await recheckOthers(false);
      if (!records && !events && !others) return;
    }
  };

  // What waiting documents wait for arrives as events, contacts, filed chain links or device
  // records, or is written here (an approval on this device).
  let recheckQueued = false;
  function scheduleRecheck() {
    if (recheckQueued || closed) return;
    recheckQueued = true;
    track(
      serial(async () => {
        recheckQueued = false;
        await recheck();
      }),
    ).catch((e: unknown) => log.error('sync: checking kept-aside documents again failed', e));
  }
  const subs = [db.consent_events, db.contacts, db.audit_log, db.users].map((c) =>
    (c.eventBulks$ as { subscribe(f: () => void): { unsubscribe(): void } }).subscribe(scheduleRecheck),
  );
  subs.push(
    db.consent_events.eventBulks$.subscribe((bulk) => {
      if (inFlight.size === 0) return;
      for (const e of bulk.events) inFlight.delete(slotOf(e.documentData.deviceId, e.documentData.seq));
    }),
  );
  const stopTrustWatch = trust.onChange(scheduleRecheck);
  scheduleRecheck();

  const checkMasterState = async (collection: SyncedCollection, state: unknown): Promise<boolean> => {
    if (!state || typeof state !== 'object') return false;
    const primaryKey = db.collections[collection].schema.primaryPath as string;
    const raw = state as Record<string, unknown>;
    // RxDB's form carries the id in its primary key field, CouchDB's in _id.
    const docId = typeof raw._id === 'string' ? raw._id : raw[primaryKey];
    if (typeof docId !== 'string') return false;
    const doc: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) if (!COUCH_FIELDS.has(key) && key !== '_meta') doc[key] = raw[key];
    doc[primaryKey] = docId;
    const text = JSON.stringify(doc);
    freshRoles();
    const verdict: ArrivalVerdict = raw._deleted
      ? { ok: false, reason: 'malformed', detail: 'the server answered that it was deleted; this app never deletes a shared document' }
      : await verdictFor(collection, doc, text.length, await chainView(collection === 'consent_events' ? [doc as ConsentEvent] : [], new Map()), await trust.registry());
    if (verdict.ok || verdict.waitingFor) return true;
    await keepAside(collection, docId, verdict, doc, text);
    return false;
  };

  return {
    checkMasterState: (collection, doc) => track(serial(() => checkMasterState(collection, doc))),
    admit: (collection, rows) =>
      track(serial(() => admitBatch(collection, rows))).catch((e: unknown) => {
        // The pull fails and is retried; said once here, since RxDB's own report is swallowed.
        log.error(`sync: checking arrived ${collection} failed`, e);
        throw e;
      }),
    quarantine,
    recheckAll: () =>
      track(
        serial(async () => {
          await recheckRecords();
          await recheckEvents(true);
          await recheckOthers(true);
          await recheck();
        }),
      ),
    settled: () => settleLatest(() => tail),
    close() {
      closed = true;
      for (const s of subs) s.unsubscribe();
      stopTrustWatch();
    },
  };
}
