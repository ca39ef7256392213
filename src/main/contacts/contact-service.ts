import { ulid } from 'ulid';
import type { Contact } from '../../shared/domain';
import type { ContactPage, ContactQuery, ContactRow } from '../../shared/api/contacts-channels';
import { checkPhone } from '../../shared/phone';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { SettingsService } from '../settings/settings-service';
import type { AppDatabase } from '../store/database';
import { insertDocuments, upsertDocuments } from '../store/insert-documents';
import type { ContactDirectory } from './contact-directory';
import { writeInboundContacts, type InboundContactRequest } from './inbound-contacts';
import { changedFields, stampFields } from '../sync/field-clock';

export type ContactInput = {
  name: string;
  email?: string;
  phoneInput?: string;
  properties?: Record<string, string>;
  tags?: string[];
};

export type ContactService = {
  list(q: ContactQuery & { offset: number; limit: number }): Promise<ContactPage>;
  matchingIds(q: ContactQuery): Promise<string[]>;
  get(id: string): Promise<ContactRow>;
  create(input: ContactInput): Promise<ContactRow>;
  update(input: Partial<ContactInput> & { id: string }): Promise<ContactRow>;
  // Many at once, in one write.
  createMany(inputs: readonly ContactInput[]): Promise<Contact[]>;
  // Contacts for senders of inbound messages seen for the first time, with ids derived from
  // their numbers so two devices make the same one (inbound-contacts.ts).
  createForSenders(requests: readonly InboundContactRequest[]): Promise<Contact[]>;
  // Opens the 24-hour service window (SPEC 10); never moves it backwards.
  noteInbound(entries: ReadonlyMap<string, string>): Promise<void>;
};

const isStartView = (q: ContactQuery) => !q.search.trim() && !q.typeId && !q.status && q.sort === 'name' && q.direction === 'asc';

export function createContactService(deps: {
  db: AppDatabase;
  directory: ContactDirectory;
  settings: SettingsService;
  events: EventHub;
  now: () => Date;
  // Stamps edited fields so sync merges per field (see sync/field-clock).
  deviceId?: string;
}): ContactService {
  const { db, directory, settings, events, now } = deps;

  const phoneFields = async (phoneInput: string) => {
    const check = checkPhone(phoneInput, await settings.defaultCountry());
    return { phoneInput, waNumber: check.e164, phoneValid: check.valid };
  };

  // Keywords are routed by number, so one valid WhatsApp number belongs to one contact.
  const assertNumberFree = (waNumber: string, selfId: string) => {
    if (!waNumber) return;
    const owner = directory.findByWaNumber(waNumber);
    if (owner && owner.id !== selfId) {
      throw new AppError('conflict', `The WhatsApp number ${waNumber} already belongs to ${owner.name}.`, { contactId: owner.id });
    }
  };

  const rowOrThrow = (id: string): ContactRow => {
    const row = directory.get(id);
    if (!row) throw new AppError('not_found', 'No such contact.');
    return row;
  };

  const createMany = async (inputs: readonly ContactInput[]): Promise<Contact[]> => {
    await directory.ready;
    const at = now().toISOString();
    const country = await settings.defaultCountry();
    const claimed = new Set<string>();
    const contacts = inputs.map((input): Contact => {
      const check = checkPhone(input.phoneInput ?? '', country);
      const id = ulid();
      assertNumberFree(check.e164, id);
      if (check.e164 && claimed.has(check.e164)) throw new AppError('conflict', `The WhatsApp number ${check.e164} appears twice.`);
      if (check.e164) claimed.add(check.e164);
      return {
        id,
        name: input.name,
        email: input.email ?? '',
        phoneInput: input.phoneInput ?? '',
        waNumber: check.e164,
        phoneValid: check.valid,
        properties: input.properties ?? {},
        tags: input.tags ?? [],
        createdAt: at,
        updatedAt: at,
        lastInboundAt: '',
      };
    });
    if (contacts.length === 0) return [];
    await insertDocuments(db.contacts, contacts);
    for (const c of contacts) directory.noteContact(c);
    events.emit({ type: 'contacts:changed', ids: contacts.map((c) => c.id) });
    return contacts;
  };

  return {
    async list(q) {
      // The window's first view (by name, nothing filtered) can come from the start page
      // before the contacts are loaded (see start-page.ts).
      if (isStartView(q)) {
        const early = await directory.startPage(q.offset + q.limit);
        if (early) {
          const page = early.contacts.slice(q.offset);
          await directory.hydrate(page.map((c) => c.id));
          return { rows: page.map((c) => directory.rowFor(c)), total: early.total, offset: q.offset };
        }
      }
      // Without a status filter the page needs only the contacts, and the statuses of its
      // own rows: the app shows its first page before every status is loaded.
      await (q.status ? directory.ready : directory.contactsReady);
      const { ids, total } = directory.page(q, q.offset, q.limit);
      await directory.hydrate(ids);
      const rows: ContactRow[] = [];
      for (const id of ids) {
        const row = directory.get(id);
        if (row) rows.push(row);
      }
      return { rows, total, offset: q.offset };
    },
    async matchingIds(q) {
      await directory.ready;
      return directory.query(q);
    },
    async get(id) {
      await directory.ready;
      return rowOrThrow(id);
    },
    async create(input) {
      const [contact] = await createMany([input]);
      if (!contact) throw new AppError('conflict', 'The contact was not created; try again.');
      return rowOrThrow(contact.id);
    },
    createMany,
    async createForSenders(requests) {
      if (requests.length === 0) return [];
      const { created, existing } = await writeInboundContacts(db, requests);
      const all = [...created, ...existing];
      for (const c of all) directory.noteContact(c);
      if (created.length) events.emit({ type: 'contacts:changed', ids: created.map((c) => c.id) });
      return all;
    },
    async noteInbound(entries) {
      const docs = await db.contacts.findByIds([...entries.keys()]).exec();
      const updated: Contact[] = [];
      for (const [id, at] of entries) {
        const current = docs.get(id)?.toMutableJSON() as Contact | undefined;
        if (!current || current.lastInboundAt >= at) continue;
        const fieldClock = stampFields(current.fieldClock, ['lastInboundAt'], at, deps.deviceId ?? '');
        updated.push({ ...current, lastInboundAt: at, fieldClock });
      }
      if (updated.length === 0) return;
      await upsertDocuments(db.contacts, updated);
      for (const c of updated) directory.noteContact(c);
      events.emit({ type: 'contacts:changed', ids: updated.map((c) => c.id) });
    },
    async update(input) {
      await directory.ready;
      const doc = await db.contacts.findOne(input.id).exec();
      if (!doc) throw new AppError('not_found', 'No such contact.');
      const { id, ...fields } = input;
      const patch: Partial<Contact> = { ...fields, updatedAt: now().toISOString() };
      if (input.phoneInput !== undefined) {
        const phone = await phoneFields(input.phoneInput);
        assertNumberFree(phone.waNumber, id);
        Object.assign(patch, phone);
      }
      const current = doc.toMutableJSON() as Contact;
      const changed = changedFields(current, patch);
      if (changed.length) patch.fieldClock = stampFields(current.fieldClock, changed, patch.updatedAt ?? '', deps.deviceId ?? '');
      const saved = await doc.incrementalPatch(patch);
      directory.noteContact(saved.toMutableJSON() as Contact);
      events.emit({ type: 'contacts:changed', ids: [id] });
      return rowOrThrow(id);
    },
  };
}
