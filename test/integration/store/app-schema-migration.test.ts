import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addRxPlugin,
  createRxDatabase,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuerySelector,
  type RxCollection,
  type RxCollectionCreator,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../src/shared/domain';
import { COLLECTION_SCHEMAS, DATABASE_NAME, openAppDatabase } from '../../../src/main/store/database';
import { asSQLiteInstance, getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { contactSchema } from '../../../src/main/store/schemas/people-schemas';
import { createAppStorage } from '../../../src/main/store/storage';
import { appStoreCipher, openAppStoreFile } from '../../helpers/app-store-file';

addRxPlugin(RxDBMigrationSchemaPlugin);

// A plausible next version of the app's contacts: a derived field plus an index over it.
type ContactV1 = Contact & { country: string };

const CURRENT = contactSchema.version;
const NEXT = CURRENT + 1;

const contactSchemaV1 = {
  ...contactSchema,
  version: NEXT,
  properties: { ...contactSchema.properties, country: { type: 'string', maxLength: 8 } },
  required: [...(contactSchema.required as string[]), 'country'],
  indexes: [...(contactSchema.indexes ?? []), ['country', 'name']],
} as RxJsonSchema<ContactV1>;

const countryOf = (waNumber: string): string => (waNumber.startsWith('+48') ? 'PL' : waNumber.startsWith('+49') ? 'DE' : 'other');
const migrateContact = (doc: Contact): ContactV1 => ({ ...doc, country: countryOf(doc.waNumber) });
// The app's own strategies up to today's version, then the next one.
const strategiesToNext = { ...COLLECTION_SCHEMAS.contacts.migrationStrategies, [NEXT]: migrateContact };

type V1Collections = { contacts: RxCollection<ContactV1> };

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function makeContacts(count: number): Contact[] {
  const prefixes = ['+48', '+49', '+1'];
  return Array.from({ length: count }, (_, i) => ({
    id: `contact-${String(i).padStart(3, '0')}`,
    name: `Name ${String((i * 7) % count).padStart(3, '0')}`,
    email: `c${i}@example.com`,
    phoneInput: `${prefixes[i % 3] ?? '+1'} 600 000 ${String(i).padStart(3, '0')}`,
    waNumber: `${prefixes[i % 3] ?? '+1'}600000${String(i).padStart(3, '0')}`,
    phoneValid: true,
    properties: { city: i % 2 ? 'Kraków' : 'Berlin' },
    tags: i % 5 ? [] : ['vip'],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`,
    lastInboundAt: '',
  }));
}

// Every app collection at its current version, with contacts replaced by the given definition.
function collectionsWith(contacts: RxCollectionCreator): Record<string, RxCollectionCreator> {
  return { ...COLLECTION_SCHEMAS, contacts };
}

function tableNames(dir: string): string[] {
  const db = openAppStoreFile(dir);
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck(true).all() as string[]);
  } finally {
    db.close();
  }
}

describe('opening an app database written by an older schema version', () => {
  it('migrates contacts of the current version to the next one and serves them from the new index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-app-migration-'));
    tempDirs.push(dir);
    const contacts = makeContacts(90);

    // Written by the "old app": the real app database at today's schema version.
    const old = await openAppDatabase(createAppStorage(dir).storage);
    await old.contacts.bulkInsert(contacts);
    await old.subscription_types.insert({
      id: 'type-1', name: 'News', purpose: 'marketing', businessNumber: '+48600000999', phoneNumberId: 'pn-1',
      businessName: 'Shop', archived: false, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    });
    await old.close();
    expect(tableNames(dir)).toContain(`contacts-${CURRENT}`);

    // The "new app", after a restart: a fresh storage on the same folder, the next version plus its strategy.
    const next = await createRxDatabase<V1Collections & { subscription_types: RxCollection<{ id: string; name: string }> }>({
      name: DATABASE_NAME, storage: getRxStorageSQLite({ directory: dir, ...appStoreCipher(dir) }) as RxStorage<unknown, unknown>, multiInstance: false,
    });
    await next.addCollections(collectionsWith({ schema: contactSchemaV1, migrationStrategies: strategiesToNext }));
    try {
      expect(await next.contacts.count().exec()).toBe(contacts.length);
      const all = (await next.contacts.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
      expect(all).toEqual(contacts.map((c) => expect.objectContaining({ ...c, country: countryOf(c.waNumber) })));

      const expected = contacts
        .filter((c) => countryOf(c.waNumber) === 'PL')
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
        .map((c) => c.id);
      const found = await next.contacts.find({ selector: { country: 'PL' }, sort: [{ name: 'asc' }] }).exec();
      expect(found.map((d) => d.id)).toEqual(expected);

      // Served by the new index: SQLite walks a key range and reads only the matching rows.
      const instance = asSQLiteInstance<ContactV1>(next.contacts.internalStorageInstance);
      if (!instance) {
        throw new Error('contacts are not on the SQLite storage');
      }
      const schema = next.contacts.schema.jsonSchema;
      // RxCollection adds the _deleted condition to every query; a storage-level query must too.
      const selector = { _deleted: false, country: 'PL' } as MangoQuerySelector<ContactV1>;
      const prepared = prepareQuery(schema, normalizeMangoQuery(schema, { selector, sort: [{ name: 'asc' }] }));
      expect(prepared.queryPlan.index).toEqual(['_deleted', 'country', 'name', 'id']);
      expect(instance.explainQuery(prepared).join('\n')).toMatch(/USING INDEX/);
      const before = instance.stats.rowsRead;
      expect((await instance.query(prepared)).documents).toHaveLength(expected.length);
      expect(instance.stats.rowsRead - before).toBe(expected.length);

      // Collections that did not change keep their data.
      expect((await next.subscription_types.findOne('type-1').exec())?.name).toBe('News');
    } finally {
      await next.close();
    }
    // The old table is gone; the migrated one survives another restart.
    expect(tableNames(dir)).toContain(`contacts-${NEXT}`);
    expect(tableNames(dir)).not.toContain(`contacts-${CURRENT}`);
    const again = await createRxDatabase<V1Collections>({
      name: DATABASE_NAME, storage: getRxStorageSQLite({ directory: dir, ...appStoreCipher(dir) }) as RxStorage<unknown, unknown>, multiInstance: false,
    });
    await again.addCollections(collectionsWith({ schema: contactSchemaV1, migrationStrategies: strategiesToNext }));
    expect(await again.contacts.count({ selector: { country: 'DE' } }).exec()).toBe(contacts.filter((c) => countryOf(c.waNumber) === 'DE').length);
    await again.close();
  });

  it('refuses a version bump without a migration strategy and keeps the old data readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-app-migration-'));
    tempDirs.push(dir);
    const contacts = makeContacts(20);
    const old = await openAppDatabase(createAppStorage(dir).storage);
    await old.contacts.bulkInsert(contacts);
    await old.close();

    const refused = await createRxDatabase<V1Collections>({
      name: DATABASE_NAME, storage: getRxStorageSQLite({ directory: dir, ...appStoreCipher(dir) }) as RxStorage<unknown, unknown>, multiInstance: false,
    });
    await expect(refused.addCollections(collectionsWith({ schema: contactSchemaV1 }))).rejects.toMatchObject({ code: 'DM4' });
    await refused.close();

    // The current version's table is untouched: the old app still opens and reads every contact.
    expect(tableNames(dir)).toContain(`contacts-${CURRENT}`);
    const reopened = await openAppDatabase(createAppStorage(dir).storage);
    try {
      const back = (await reopened.contacts.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
      expect(back).toEqual(contacts.map((c) => expect.objectContaining(c)));
    } finally {
      await reopened.close();
    }
  });
});
