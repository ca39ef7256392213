import { ulid } from 'ulid';
import type { Contact } from '../../shared/domain';
import type { ContactPage, ContactQuery, ContactRow } from '../../shared/api/contacts-channels';
import { checkPhone } from '../../shared/phone';
import { AppError } from '../api/app-error';
import type { EventHub } from '../events/event-hub';
import type { SettingsService } from '../settings/settings-service';
import type { AppDatabase } from '../store/database';
import type { ContactDirectory } from './contact-directory';

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
};

export function createContactService(deps: {
  db: AppDatabase;
  directory: ContactDirectory;
  settings: SettingsService;
  events: EventHub;
  now: () => Date;
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

  return {
    async list(q) {
      await directory.ready;
      const ids = directory.query(q);
      const rows: ContactRow[] = [];
      for (const id of ids.slice(q.offset, q.offset + q.limit)) {
        const row = directory.get(id);
        if (row) rows.push(row);
      }
      return { rows, total: ids.length, offset: q.offset };
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
      await directory.ready;
      const at = now().toISOString();
      const phone = await phoneFields(input.phoneInput ?? '');
      const id = ulid();
      assertNumberFree(phone.waNumber, id);
      const contact: Contact = {
        id,
        name: input.name,
        email: input.email ?? '',
        ...phone,
        properties: input.properties ?? {},
        tags: input.tags ?? [],
        createdAt: at,
        updatedAt: at,
        lastInboundAt: '',
      };
      await db.contacts.insert(contact);
      directory.noteContact(contact);
      events.emit({ type: 'contacts:changed', ids: [id] });
      return rowOrThrow(id);
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
      const saved = await doc.incrementalPatch(patch);
      directory.noteContact(saved.toMutableJSON() as Contact);
      events.emit({ type: 'contacts:changed', ids: [id] });
      return rowOrThrow(id);
    },
  };
}
