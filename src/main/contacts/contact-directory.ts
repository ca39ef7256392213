import type { Subscription } from 'rxjs';
import { ALL_WHATSAPP_TYPE_ID, type ConsentStatus, type Contact } from '../../shared/domain';
import type { ContactQuery, ContactRow } from '../../shared/api/contacts-channels';
import type { AppDatabase } from '../store/database';

// An in-memory index of contacts and their current statuses, kept in step with the
// store's change streams (local writes, imports and replication alike). Searching,
// filtering and sorting 100,000 contacts here takes milliseconds, where a store
// query with a substring match would scan every document.
export type ContactDirectory = {
  ready: Promise<void>;
  get(id: string): ContactRow | null;
  findByWaNumber(e164: string): Contact | null;
  // Applies a write this process just made without waiting for the change stream
  // (which delivers the same document again later; applying it twice is harmless).
  noteContact(contact: Contact): void;
  noteStatus(contactId: string, typeId: string, status: ConsentStatus): void;
  query(q: ContactQuery): string[];
  statusOf(contactId: string, typeId: string): ConsentStatus;
  close(): void;
};

type Entry = { contact: Contact; searchKey: string };

const collator = new Intl.Collator('pl', { sensitivity: 'base', numeric: true });

const searchKeyOf = (c: Contact) =>
  [c.name, c.email, c.waNumber, c.phoneInput.replace(/[\s()-]/g, '')].join('\u0000').toLocaleLowerCase();

export function createContactDirectory(db: AppDatabase): ContactDirectory {
  const entries = new Map<string, Entry>();
  const byNumber = new Map<string, string>();
  const statuses = new Map<string, Map<string, ConsentStatus>>();
  const sortedCache = new Map<string, string[]>();
  const subs: Subscription[] = [];

  const putContact = (c: Contact) => {
    const old = entries.get(c.id);
    if (old && old.contact.waNumber && byNumber.get(old.contact.waNumber) === c.id) byNumber.delete(old.contact.waNumber);
    entries.set(c.id, { contact: c, searchKey: searchKeyOf(c) });
    if (c.waNumber) byNumber.set(c.waNumber, c.id);
    sortedCache.clear();
  };
  const putStatus = (contactId: string, typeId: string, status: ConsentStatus) => {
    let m = statuses.get(contactId);
    if (!m) statuses.set(contactId, (m = new Map()));
    m.set(typeId, status);
  };

  const ready = (async () => {
    const [contacts, states] = await Promise.all([db.contacts.find().exec(), db.consent_state.find().exec()]);
    for (const d of contacts) putContact(d.toMutableJSON() as Contact);
    for (const d of states) putStatus(d.contactId, d.typeId, d.status);
    subs.push(
      db.contacts.$.subscribe((ev) => {
        if (ev.operation === 'DELETE') {
          entries.delete(ev.documentId);
          sortedCache.clear();
        } else {
          const { _meta, _rev, _attachments, _deleted, ...rest } = ev.documentData;
          void _meta; void _rev; void _attachments; void _deleted;
          putContact(rest as Contact);
        }
      }),
      db.consent_state.$.subscribe((ev) => {
        if (ev.operation !== 'DELETE') putStatus(ev.documentData.contactId, ev.documentData.typeId, ev.documentData.status);
      }),
    );
  })();

  const statusOf = (contactId: string, typeId: string): ConsentStatus =>
    statuses.get(contactId)?.get(typeId) ?? 'not_specified';

  const toRow = (contact: Contact): ContactRow => {
    const m = statuses.get(contact.id);
    const rowStatuses: Record<string, ConsentStatus> = {};
    if (m) for (const [typeId, s] of m) if (typeId !== ALL_WHATSAPP_TYPE_ID) rowStatuses[typeId] = s;
    return { ...contact, statuses: rowStatuses, optedOutAll: statusOf(contact.id, ALL_WHATSAPP_TYPE_ID) === 'unsubscribed' };
  };

  const sortedIds = (sort: ContactQuery['sort'], direction: ContactQuery['direction']): string[] => {
    const key = `${sort}:${direction}`;
    const cached = sortedCache.get(key);
    if (cached) return cached;
    const list = [...entries.values()];
    const sign = direction === 'asc' ? 1 : -1;
    list.sort((a, b) => {
      const primary =
        sort === 'name' ? collator.compare(a.contact.name, b.contact.name) : a.contact[sort].localeCompare(b.contact[sort]);
      return sign * (primary || a.contact.id.localeCompare(b.contact.id));
    });
    const ids = list.map((e) => e.contact.id);
    sortedCache.set(key, ids);
    return ids;
  };

  return {
    ready,
    get: (id) => {
      const e = entries.get(id);
      return e ? toRow(e.contact) : null;
    },
    findByWaNumber: (e164) => {
      const id = byNumber.get(e164);
      return id ? (entries.get(id)?.contact ?? null) : null;
    },
    statusOf,
    noteContact: putContact,
    noteStatus: putStatus,
    query(q) {
      const raw = q.search.trim().toLocaleLowerCase();
      // "+48 601-234-567" should find the stored "+48601234567".
      const needle = /^[+\d\s()-]+$/.test(raw) ? raw.replace(/[\s()-]/g, '') : raw;
      const ids = sortedIds(q.sort, q.direction);
      if (!needle && !q.status) return ids;
      return ids.filter((id) => {
        const e = entries.get(id);
        if (!e) return false;
        if (needle && !e.searchKey.includes(needle)) return false;
        if (!q.status) return true;
        if (q.status === 'opted_out_all') return statusOf(id, ALL_WHATSAPP_TYPE_ID) === 'unsubscribed';
        if (!q.typeId) {
          const m = statuses.get(id);
          if (q.status === 'not_specified') return !m || [...m.entries()].every(([t, s]) => t === ALL_WHATSAPP_TYPE_ID || s === 'not_specified');
          return !!m && [...m.entries()].some(([t, s]) => t !== ALL_WHATSAPP_TYPE_ID && s === q.status);
        }
        return statusOf(id, q.typeId) === q.status;
      });
    },
    close: () => subs.forEach((s) => s.unsubscribe()),
  };
}
