import type { RxDocumentData } from 'rxdb';
import type { Subscription } from 'rxjs';
import { ALL_WHATSAPP_TYPE_ID, CONSENT_STATUSES, type ConsentStatus, type Contact } from '../../shared/domain';
import type { ContactQuery, ContactRow } from '../../shared/api/contacts-channels';
import { stateId } from '../ledger/projection';
import { laterCheckpoint } from '../ledger/projection-checkpoint';
import type { ChangeCheckpoint } from '../ledger/store-scan';
import { changesSince, scanStore } from '../ledger/store-scan';
import type { AppDatabase } from '../store/database';
import { withoutStorageFields } from '../store/plain-documents';
import { copyWith } from '../../shared/copy-with';
import { onDocChanges } from '../store/doc-changes';
import { compareNames } from './name-compare';
import { createSlotOrder, type SlotOrder } from './slot-order';
import { mergeStartPage, readStartPageFile, START_PAGE_SIZE, writeStartPageFile, type StartPageFile } from './start-page';

// An in-memory index of contacts and their current statuses, kept in step with the
// store's change streams (local writes, imports and replication alike). Searching,
// filtering and sorting 100,000 contacts here takes milliseconds, where a store
// query with a substring match would scan every document.
//
// Each contact id gets a slot number; statuses live in one byte array per type, so a
// status filter is a tight loop. Sort orders are built lazily (see slot-order.ts):
// the first page of a fresh order is picked without sorting everything.
export type ContactDirectory = {
  // Contacts and statuses are loaded (what every reader of statuses waits for). Statuses
  // load after the first page is answered, or once something reads `ready`.
  ready: Promise<void>;
  // Contacts are loaded; statuses may still be loading (the API waits for this, see start-gate.ts).
  // Reading it starts the load if it was held back for the start page.
  contactsReady: Promise<void>;
  // The first `wanted` contacts by name (documents as stored) and how many there are, from
  // the start page file (start-page.ts) while the full load is still to come; null when the
  // file cannot vouch for them, or the contacts are loaded anyway.
  startPage(wanted: number): Promise<{ contacts: Contact[]; total: number } | null>;
  // The row of a contact read from the store (the start page), with the statuses hydrated.
  rowFor(contact: Contact): ContactRow;
  // Reads the statuses of these contacts from the store if the full load is still
  // running, so their rows can be shown before it ends.
  hydrate(contactIds: readonly string[]): Promise<void>;
  get(id: string): ContactRow | null;
  findByWaNumber(e164: string): Contact | null;
  // Applies a write this process just made without waiting for the change stream
  // (which delivers the same document again later; applying it twice is harmless).
  noteContact(contact: Contact): void;
  noteStatus(contactId: string, typeId: string, status: ConsentStatus): void;
  // Every matching id, in order.
  query(q: ContactQuery): string[];
  // One page of matching ids, in order, and how many match in all.
  page(q: ContactQuery, offset: number, limit: number): { ids: string[]; total: number };
  statusOf(contactId: string, typeId: string): ConsentStatus;
  close(): void;
};

type SortField = ContactQuery['sort'];

// ISO timestamps of one format order the same by code unit as by locale, and much faster.
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
// Pages this deep are picked by selection while a sort order is still being built.
const SELECT_MAX = 2000;

// Status codes in the per-type arrays: 0 = never set (kept apart from an explicit
// not_specified, which a contact row lists).
const STATUS_BY_CODE: readonly ConsentStatus[] = CONSENT_STATUSES;
const codeOf = (s: ConsentStatus) => STATUS_BY_CODE.indexOf(s) + 1;
const NOT_SPECIFIED_CODE = codeOf('not_specified');

const searchKeyOf = (c: Contact) =>
  [c.name, c.email, c.waNumber, c.phoneInput.replace(/[\s()-]/g, '')].join('\u0000').toLocaleLowerCase();

// Contacts are kept as the storage read them (copying 100,000 documents without their
// storage fields at start costs more than reading them); the fields go on the way out.
type Stored = Contact | RxDocumentData<Contact>;
const plain = (d: Stored): Contact => ('_meta' in d ? withoutStorageFields(d) : d);

// With a start page the full load waits for the first page to be answered (both would
// share the one main-process thread with the window loading), but no longer than this.
const START_LOAD_DELAY_MS = 3000;
// After the start page is answered: the window draws it without the full load competing for the CPU.
const START_DRAW_MS = 250;
// Changes since the start page file beyond which reading them is no quicker than the full load.
const START_CATCH_UP_MAX = 5000;
// How long the directory stays unchanged before the start page file is written again.
const START_WRITE_IDLE_MS = 30_000;

// startPageKey seals the start page (it holds names); tests without one read and write it plain.
export function createContactDirectory(db: AppDatabase, options: { startPageFile?: string; startPageKey?: Buffer } = {}): ContactDirectory {
  const slotOf = new Map<string, number>();
  const ids: string[] = [];
  const contacts: Array<Stored | undefined> = [];
  // Built on the first search that needs them.
  const searchKeys: Array<string | undefined> = [];
  // Built on the first lookup by number (rare at start: imports, incoming messages).
  let byNumber: Map<string, string> | null = null;
  let capacity = 1024;
  const typeCodes = new Map<string, Uint8Array>();
  const subs: Subscription[] = [];
  // Bumped on every change: cached filter results are valid for one version.
  let version = 0;

  const slotFor = (id: string) => {
    let s = slotOf.get(id);
    if (s === undefined) {
      s = ids.length;
      slotOf.set(id, s);
      ids.push(id);
      contacts.push(undefined);
      searchKeys.push(undefined);
      if (s >= capacity) {
        capacity *= 2;
        for (const [t, arr] of typeCodes) {
          const next = new Uint8Array(capacity);
          next.set(arr);
          typeCodes.set(t, next);
        }
      }
    }
    return s;
  };

  const source = (field: SortField) => ({
    valueOf: (s: number) => contacts[s]?.[field],
    idOf: (s: number) => ids[s] ?? '',
    slotCount: () => ids.length,
  });
  const orders: Record<SortField, SlotOrder> = {
    name: createSlotOrder(source('name'), compareNames),
    createdAt: createSlotOrder(source('createdAt'), byCodeUnit),
    updatedAt: createSlotOrder(source('updatedAt'), byCodeUnit),
  };
  const fields: SortField[] = ['name', 'createdAt', 'updatedAt'];

  const putContact = (c: Stored) => {
    const s = slotFor(c.id);
    const old = contacts[s];
    if (byNumber) {
      if (old && old.waNumber && byNumber.get(old.waNumber) === c.id) byNumber.delete(old.waNumber);
      if (c.waNumber) byNumber.set(c.waNumber, c.id);
    }
    contacts[s] = c;
    searchKeys[s] = undefined;
    for (const f of fields) if (!old || old[f] !== c[f]) orders[f].touch(s);
    version += 1;
  };
  const removeContact = (id: string) => {
    const s = slotOf.get(id);
    const old = s === undefined ? undefined : contacts[s];
    if (s === undefined || !old) return;
    if (byNumber && old.waNumber && byNumber.get(old.waNumber) === id) byNumber.delete(old.waNumber);
    contacts[s] = undefined;
    searchKeys[s] = undefined;
    for (const f of fields) orders[f].touch(s);
    version += 1;
  };
  const putStatus = (contactId: string, typeId: string, status: ConsentStatus) => {
    const s = slotFor(contactId);
    let arr = typeCodes.get(typeId);
    if (!arr) typeCodes.set(typeId, (arr = new Uint8Array(capacity)));
    const code = codeOf(status);
    if (arr[s] !== code) {
      arr[s] = code;
      version += 1;
    }
  };

  let statusesLoaded = false;
  let contactsLoaded = false;
  let closed = false;
  const isClosed = () => closed;
  // The newest point of the contacts' change stream applied here: what a start page file
  // written now reflects.
  let seenUpTo: ChangeCheckpoint | undefined;
  // Contact changes seen so far (a start page planned before the latest one is stale).
  let changes = 0;
  const see = (d: RxDocumentData<Contact>) => {
    seenUpTo = laterCheckpoint(seenUpTo, { id: d.id, lwt: d._meta.lwt });
  };

  const startFile = options.startPageFile ? readStartPageFile(options.startPageFile, options.startPageKey) : null;
  let releaseLoad: () => void = () => {};
  const loadMayBegin = new Promise<void>((resolve) => (releaseLoad = resolve));
  const contactsLoad = (async () => {
    // Listen first, then read: a write during the load is seen by one or both, and
    // applying a document twice is harmless.
    subs.push(
      onDocChanges(db.contacts, (ev) => {
        see(ev.documentData);
        changes += 1;
        if (ev.operation === 'DELETE') removeContact(ev.documentId);
        else putContact(ev.documentData);
        scheduleStartWrite();
      }),
      onDocChanges(db.consent_state, (ev) => {
        if (ev.operation !== 'DELETE') putStatus(ev.documentData.contactId, ev.documentData.typeId, ev.documentData.status);
      }),
    );
    await loadMayBegin;
    await scanStore(db.contacts, (d) => { see(d); putContact(d); }, isClosed);
    contactsLoaded = true;
    scheduleStartWrite();
  })();
  // Failures reach whoever waits for the contacts (the API gate answers with an error).
  contactsLoad.catch(() => undefined);
  if (startFile) setTimeout(releaseLoad, START_LOAD_DELAY_MS).unref();
  else releaseLoad();
  const contactsReady = () => {
    releaseLoad();
    return contactsLoad;
  };
  // Statuses (300,000 rows for 100,000 contacts) and the full name order are not needed
  // for the first page (hydrate() reads its rows' statuses; a page is picked by selection),
  // and loading them meanwhile would compete with it for the one main-process thread. They
  // start once the first page is answered, or as soon as anything waits for `ready`.
  let statusLoad: Promise<void> | null = null;
  const loadStatuses = (): Promise<void> => {
    if (!statusLoad) {
      statusLoad = contactsReady().then(async () => {
        orders.name.warm();
        // Smaller pages than the contacts': nobody waits on this load as a whole, while the
        // window's next calls (types, the next page) wait for each page in turn.
        await scanStore(db.consent_state, (d) => putStatus(d.contactId, d.typeId, d.status), isClosed, 500);
        statusesLoaded = true;
      });
      // Nobody may be waiting when the app closes during the load; failures reach those who do.
      statusLoad.catch(() => undefined);
    }
    return statusLoad;
  };
  const hydrate = async (contactIds: readonly string[]) => {
    if (statusesLoaded || contactIds.length === 0) return;
    // By primary key (contactId|typeId) for every type there is: a contactId $in query
    // would be planned as one range spanning most of the table.
    const typeIds = new Set<string>([ALL_WHATSAPP_TYPE_ID]);
    await scanStore(db.subscription_types, (t) => typeIds.add(t.id), isClosed);
    const stateIds = contactIds.flatMap((c) => [...typeIds].map((t) => stateId(c, t)));
    for (const d of await db.consent_state.storageInstance.findDocumentsById(stateIds, false)) putStatus(d.contactId, d.typeId, d.status);
  };

  // The start page: planned once (the file, and the contacts changed since it was written),
  // and used while no contact has changed since the plan; after a change the window asks
  // again and waits for the full load.
  let startPlan: { at: number; plan: Promise<{ file: StartPageFile; changed: RxDocumentData<Contact>[] } | null> } | null = null;
  const planStart = async (file: StartPageFile) => {
    // The store must hold the point the file was written at: a store restored from an
    // older copy, or one whose tombstones were cleaned up since, cannot be caught up.
    const [at] = await db.contacts.storageInstance.findDocumentsById([file.checkpoint.id], true);
    if (!at || at._meta.lwt < file.checkpoint.lwt) return null;
    const changed: RxDocumentData<Contact>[] = [];
    for await (const page of changesSince(db.contacts, file.checkpoint, 1000)) {
      changed.push(...page.documents);
      if (changed.length > START_CATCH_UP_MAX) return null;
    }
    return { file, changed };
  };
  const startPage = async (wanted: number): Promise<{ contacts: Contact[]; total: number } | null> => {
    if (!startFile || contactsLoaded) return null;
    startPlan ??= { at: changes, plan: planStart(startFile).catch(() => null) };
    const plan = await startPlan.plan;
    const ids = plan && startPlan.at === changes ? mergeStartPage(plan.file, plan.changed, wanted, plan.file.entries.length < START_PAGE_SIZE) : null;
    const docs = ids ? await db.contacts.storageInstance.findDocumentsById(ids, false) : [];
    const byId = new Map(docs.map((d) => [d.id, plain(d)]));
    const page = (ids ?? []).flatMap((id) => byId.get(id) ?? []);
    if (!ids || page.length !== ids.length) {
      releaseLoad();
      return null;
    }
    const total = await db.contacts.count().exec();
    // Once the window has had a moment to draw this page, the full load goes on (and the
    // statuses after it); anything that needs the contacts sooner starts it by waiting.
    setTimeout(() => void loadStatuses(), START_DRAW_MS).unref();
    return { contacts: page, total };
  };

  // The start page file is written once the contacts are loaded and the directory has
  // stayed unchanged for a while, and at close; never from a partial load.
  let writeTimer: NodeJS.Timeout | undefined;
  const writeStartNow = () => {
    if (!options.startPageFile || !contactsLoaded || !seenUpTo) return;
    const { slots } = orders.name.first(START_PAGE_SIZE, false, null);
    const entries = slots.map((s) => ({ id: ids[s] ?? '', name: contacts[s]?.name ?? '' }));
    try {
      writeStartPageFile(options.startPageFile, seenUpTo, entries, options.startPageKey);
    } catch {
      // Only a shortcut: without the file the next start loads every contact first.
    }
  };
  function scheduleStartWrite() {
    if (!options.startPageFile || !contactsLoaded || closed) return;
    if (writeTimer) clearTimeout(writeTimer);
    writeTimer = setTimeout(() => {
      writeTimer = undefined;
      writeStartNow();
    }, START_WRITE_IDLE_MS);
    writeTimer.unref();
  }

  const statusOf = (contactId: string, typeId: string): ConsentStatus => {
    const s = slotOf.get(contactId);
    const code = s === undefined ? 0 : (typeCodes.get(typeId)?.[s] ?? 0);
    return STATUS_BY_CODE[code - 1] ?? 'not_specified';
  };

  const toRow = (s: number, contact: Stored): ContactRow => {
    const rowStatuses: Record<string, ConsentStatus> = {};
    for (const [typeId, arr] of typeCodes) {
      const code = arr[s] ?? 0;
      if (code && typeId !== ALL_WHATSAPP_TYPE_ID) rowStatuses[typeId] = STATUS_BY_CODE[code - 1] ?? 'not_specified';
    }
    const all = typeCodes.get(ALL_WHATSAPP_TYPE_ID)?.[s] ?? 0;
    // copyWith, not a spread: an export of 100,000 contacts builds a row for each (copy-with.ts).
    return copyWith(plain(contact), { statuses: rowStatuses, optedOutAll: STATUS_BY_CODE[all - 1] === 'unsubscribed' });
  };

  // The test a query applies to a live slot, or null when every contact matches.
  const matcher = (q: ContactQuery): ((s: number) => boolean) | null => {
    const raw = q.search.trim().toLocaleLowerCase();
    // "+48 601-234-567" should find the stored "+48601234567".
    const needle = /^[+\d\s()-]+$/.test(raw) ? raw.replace(/[\s()-]/g, '') : raw;
    let statusTest: ((s: number) => boolean) | null = null;
    if (q.status === 'opted_out_all') {
      const arr = typeCodes.get(ALL_WHATSAPP_TYPE_ID);
      const want = codeOf('unsubscribed');
      statusTest = (s) => arr?.[s] === want;
    } else if (q.status && q.typeId) {
      const arr = typeCodes.get(q.typeId);
      const want = codeOf(q.status);
      statusTest = q.status === 'not_specified' ? (s) => !arr || arr[s] === 0 || arr[s] === want : (s) => arr?.[s] === want;
    } else if (q.status) {
      const arrays = [...typeCodes].filter(([t]) => t !== ALL_WHATSAPP_TYPE_ID).map(([, a]) => a);
      const want = codeOf(q.status);
      statusTest =
        q.status === 'not_specified'
          ? (s) => arrays.every((a) => a[s] === 0 || a[s] === NOT_SPECIFIED_CODE)
          : (s) => arrays.some((a) => a[s] === want);
    }
    if (!needle && !statusTest) return null;
    const keyOf = (s: number) => {
      let key = searchKeys[s];
      if (key === undefined) {
        const c = contacts[s];
        key = c ? searchKeyOf(c) : '';
        searchKeys[s] = key;
      }
      return key;
    };
    return (s) => (!needle || keyOf(s).includes(needle)) && (!statusTest || statusTest(s));
  };

  // The last full filtered list, per query, while nothing changed.
  let cached: { key: string; version: number; slots: readonly number[] } | null = null;
  const matchingSlots = (q: ContactQuery): readonly number[] => {
    const key = JSON.stringify([q.search, q.typeId, q.status, q.sort, q.direction]);
    if (cached && cached.key === key && cached.version === version && orders[q.sort].isReady()) return cached.slots;
    const all = orders[q.sort].all();
    const test = matcher(q);
    let slots: number[] = test ? all.filter(test) : all.slice();
    if (q.direction === 'desc') slots = slots.reverse();
    cached = { key, version, slots };
    return slots;
  };

  const idsOf = (slots: readonly number[]) => slots.map((s) => ids[s] ?? '');

  return {
    // A getter: waiting for the statuses is what starts their load if nothing has yet.
    get ready() {
      return loadStatuses();
    },
    get contactsReady() {
      return contactsReady();
    },
    startPage,
    rowFor: (contact) => toRow(slotFor(contact.id), contact),
    hydrate,
    get: (id) => {
      const s = slotOf.get(id);
      const c = s === undefined ? undefined : contacts[s];
      return s !== undefined && c ? toRow(s, c) : null;
    },
    findByWaNumber: (e164) => {
      if (!byNumber) {
        byNumber = new Map();
        for (const c of contacts) if (c?.waNumber) byNumber.set(c.waNumber, c.id);
      }
      const id = byNumber.get(e164);
      const s = id === undefined ? undefined : slotOf.get(id);
      const c = s === undefined ? undefined : contacts[s];
      return c ? plain(c) : null;
    },
    statusOf,
    noteContact: putContact,
    noteStatus: putStatus,
    query: (q) => idsOf(matchingSlots(q)),
    page(q, offset, limit) {
      // Once this page is answered, the rest of the load goes on in the background.
      if (!statusLoad) setImmediate(() => void loadStatuses());
      const order = orders[q.sort];
      if (!order.isReady() && offset + limit <= SELECT_MAX) {
        order.warm();
        const { slots, total } = order.first(offset + limit, q.direction === 'desc', matcher(q));
        return { ids: idsOf(slots.slice(offset)), total };
      }
      const slots = matchingSlots(q);
      return { ids: idsOf(slots.slice(offset, offset + limit)), total: slots.length };
    },
    close: () => {
      if (writeTimer) clearTimeout(writeTimer);
      if (!closed) writeStartNow();
      closed = true;
      subs.forEach((s) => s.unsubscribe());
    },
  };
}
