import { cpSync, existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { addRxPlugin, createRxDatabase, fillWithDefaultSettings, getChangedDocumentsSince, type RxCollection, type RxDocumentData, type RxJsonSchema, type RxStorage } from 'rxdb';
import type { Session } from '../../../src/main/api/handler-types';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { COLLECTION_SCHEMAS, DATABASE_NAME, INDEX_ONLY_VERSIONS, type AppDatabase } from '../../../src/main/store/database';
import { upgradeIndexOnlyVersions } from '../../../src/main/store/index-only-upgrade';
import type { RxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { consentEventSchema, consentStateSchema } from '../../../src/main/store/schemas/consent-schemas';
import { contactSchema } from '../../../src/main/store/schemas/people-schemas';
import { createAppStorage } from '../../../src/main/store/storage';
import type { ConsentEvent, ConsentStateRow, Contact } from '../../../src/shared/domain';
import { waitFor } from '../../helpers/sync-devices';
import { makeTempDir, openTestApp } from '../../helpers/temp-app';
import { openAppStoreFile } from '../../helpers/app-store-file';
import { DATABASE_KEY_FILE } from '../../../src/main/secrets/database-key';

addRxPlugin(RxDBMigrationSchemaPlugin);

// The collections as the app shipped them at version 0: the same documents, more indexes.
const VERSION_0 = {
  consent_events: { schema: { ...consentEventSchema, version: 0, indexes: [['contactId', 'typeId', 'occurredAt'], 'occurredAt', ['deviceId', 'seq'], 'source'] } as RxJsonSchema<ConsentEvent> },
  contacts: { schema: { ...contactSchema, version: 0, indexes: ['waNumber', 'name', 'updatedAt'] } as RxJsonSchema<Contact> },
  consent_state: { schema: { ...consentStateSchema, version: 0, indexes: ['contactId', ['typeId', 'status']] } as RxJsonSchema<ConsentStateRow> },
};
const MIGRATED = Object.keys(VERSION_0) as (keyof typeof VERSION_0)[];

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const change = (i: number): ConsentChange => ({
  contactId: `c${i % 9}`,
  typeId: i % 4 === 0 ? 'ord' : 'mkt',
  status: i % 3 === 0 ? 'unsubscribed' : 'subscribed',
  source: i % 5 === 0 ? 'keyword' : 'manual',
  legalBasis: i % 3 === 0 ? '' : 'consent_with_notice',
  explanation: `Change ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
  occurredAt: new Date(Date.UTC(2025, 0, 1) + ((i * 7919) % 500) * 3_600_000).toISOString(),
});

const tableNames = (dir: string): string[] => {
  const db = openAppStoreFile(dir);
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck(true).all() as string[];
  } finally {
    db.close();
  }
};

type StoredDoc = RxDocumentData<{ id: string }>;
type AnyDocs = Record<string, StoredDoc[]>;

// Every stored document of every collection, as the storage holds it (_meta, _rev included).
async function snapshot(db: AppDatabase): Promise<AnyDocs> {
  const all: AnyDocs = {};
  for (const name of Object.keys(COLLECTION_SCHEMAS)) {
    const collection = db.collections[name as keyof typeof COLLECTION_SCHEMAS] as unknown as RxCollection<unknown>;
    all[name] = (await getChangedDocumentsSince(collection.storageInstance, 100_000)).documents as StoredDoc[];
  }
  return all;
}

const byId = (docs: StoredDoc[]) => [...docs].sort((a, b) => (a.id < b.id ? -1 : 1));

type Fixture = {
  // A data folder as the previous app left it: these collections at version 0.
  dir: string;
  docs: AnyDocs;
  admin: Session;
  historyBefore: unknown;
  contactsBefore: unknown;
  stateBefore: unknown;
};

// Real documents, written by the current app, then laid into a data folder whose tables
// for the migrated collections are at version 0, as the previous app left them.
async function versionZeroFolder(): Promise<Fixture> {
  const source = makeTempDir('cd-v0-src-');
  const dir = makeTempDir('cd-v0-');
  tempDirs.push(source, dir);
  const writer = await openTestApp({ dataDir: source });
  const admin = await writer.signIn('admin');
  for (let i = 0; i < 12; i++) {
    await writer.must(admin, 'contacts:create', { name: `Kontakt ${(i * 5) % 12} Żółć`, phoneInput: `+48 601 234 5${String(i).padStart(2, '0')}` });
  }
  await writer.services.ledger.append(Array.from({ length: 240 }, (_, i) => change(i)));
  await writer.services.ledger.settled();
  // The projection's checkpoint reaches the newest event once the ledger is idle: from
  // then on a restart re-folds nothing, unless the migration moved the change index.
  const newest = await getChangedDocumentsSince(writer.services.db.consent_events.storageInstance, 1000);
  await waitFor('the projection checkpoint', async () => {
    const saved = (await writer.services.db.local_meta.findOne('projection.checkpoint').exec())?.value;
    return JSON.stringify(saved) === JSON.stringify(newest.checkpoint);
  });
  const docs = await snapshot(writer.services.db);
  const historyBefore = await writer.must(admin, 'consent:history', { limit: 500 });
  const contactsBefore = await writer.must(admin, 'contacts:list', { search: '', offset: 0, limit: 50 });
  const stateBefore = await writer.services.ledger.statesForContact('c1');
  await writer.close();
  expect(docs.consent_events).toHaveLength(240);
  expect(docs.contacts).toHaveLength(12);

  // The store files stay behind: a folder with a device id or a key and no database is refused,
  // so the device's files follow once the version 0 database is in place.
  const deviceFiles = ['device-id', 'device-key.json'];
  const isStoreOrDevice = (path: string) => path.includes(`${DATABASE_NAME}.sqlite`) || [DATABASE_KEY_FILE, ...deviceFiles].includes(basename(path));
  cpSync(source, dir, { recursive: true, filter: (path) => !isStoreOrDevice(path) });
  const old = await createRxDatabase<Record<string, RxCollection<unknown>>>({
    name: DATABASE_NAME, storage: createAppStorage(dir).storage as RxStorage<unknown, unknown>, multiInstance: false,
  });
  await old.addCollections({ ...COLLECTION_SCHEMAS, ...VERSION_0 });
  for (const [name, list] of Object.entries(docs)) {
    const instance = old.collections[name]?.internalStorageInstance;
    if (!instance || list.length === 0) continue;
    const result = await instance.bulkWrite(list.map((document) => ({ document })), 'test-v0-copy');
    expect(result.error).toEqual([]);
  }
  await old.close();
  for (const name of deviceFiles) if (existsSync(join(source, name))) cpSync(join(source, name), join(dir, name));
  for (const name of MIGRATED) expect(tableNames(dir)).toContain(`${name}-0`);
  return { dir, docs, admin, historyBefore, contactsBefore, stateBefore };
}

let fixture: Fixture;
beforeAll(async () => {
  fixture = await versionZeroFolder();
});

// A copy of the version 0 folder per test: each path starts from the same bytes.
function copyOfFixture(): string {
  const dir = makeTempDir('cd-v0-copy-');
  tempDirs.push(dir);
  cpSync(fixture.dir, dir, { recursive: true });
  return dir;
}

const changeOrder = (list: StoredDoc[]) => list.map((d) => d.id);

// Byte for byte the same documents, _meta.lwt included, in the same change order:
// change-index checkpoints (projection, sync) written before the update still hold.
function expectSameDocuments(migrated: AnyDocs): void {
  for (const name of MIGRATED) {
    expect(byId(migrated[name] ?? [])).toEqual(byId(fixture.docs[name] ?? []));
    expect(changeOrder(migrated[name] ?? [])).toEqual(changeOrder(fixture.docs[name] ?? []));
  }
}

function expectCurrentTablesOnly(dir: string): void {
  // The app holds its file exclusively while open: the tables are looked at once it is closed.
  const tables = tableNames(dir);
  expect(tables).toContain(`consent_events-${consentEventSchema.version}`);
  expect(tables).toContain(`contacts-${contactSchema.version}`);
  expect(tables).toContain(`consent_state-${consentStateSchema.version}`);
  for (const name of MIGRATED) expect(tables).not.toContain(`${name}-0`);
  expect(tables.filter((t) => t.startsWith('rx-migration'))).toEqual([]);
}

describe('version 0 to 1 of consent_events, contacts and consent_state (unused indexes dropped)', () => {
  it('moves the rows in SQL before RxDB opens, and the app finds every document, chain and projection intact', async () => {
    const dir = copyOfFixture();
    // What openAppDatabase runs first; called here on its own to see what it moved.
    const moved = await upgradeIndexOnlyVersions(createAppStorage(dir).storage, DATABASE_NAME, COLLECTION_SCHEMAS as never, INDEX_ONLY_VERSIONS);
    // consent_events' version 2 adds fields (signatures, salted digests), which is not an
    // index-only step: RxDB's own migration moves that collection when the app opens.
    expect([...moved].sort()).toEqual(MIGRATED.filter((name) => name !== 'consent_events').sort());
    expect(await upgradeIndexOnlyVersions(createAppStorage(dir).storage, DATABASE_NAME, COLLECTION_SCHEMAS as never, INDEX_ONLY_VERSIONS)).toEqual([]);

    const app = await openTestApp({ dataDir: dir });
    const admin = fixture.admin;
    try {
      expectSameDocuments(await snapshot(app.services.db));
      // The users came along: the same admin signs in again.
      expect(await app.must(admin, 'contacts:list', { search: '', offset: 0, limit: 50 })).toEqual(fixture.contactsBefore);
      expect(await app.must(admin, 'consent:history', { limit: 500 })).toEqual(fixture.historyBefore);
      // Not re-folded (updatedAt unchanged): the checkpoint still points past every event.
      expect(await app.services.ledger.statesForContact('c1')).toEqual(fixture.stateBefore);
      expect(byId((await snapshot(app.services.db)).consent_state ?? [])).toEqual(byId(fixture.docs.consent_state ?? []));
      const report = await app.must(admin, 'history:verify', {});
      expect(report.ok).toBe(true);
      expect(report.events).toBe(240);

      // The chain goes on from its head, found through the (deviceId, seq) index.
      await app.services.ledger.append([change(240)]);
      const after = await app.must(admin, 'history:verify', {});
      expect(after.ok).toBe(true);
      expect(after.events).toBe(241);
      const seqs = (await app.services.ledger.events('c6')).map((e) => e.seq);
      expect(Math.max(...seqs)).toBe(241);
    } finally {
      await app.close();
    }
    expectCurrentTablesOnly(dir);
  });

  it("RxDB's own migration (the path for anything the SQL move cannot prove safe) gives the same documents", async () => {
    const dir = copyOfFixture();
    const db = await createRxDatabase<AppDatabase['collections']>({
      name: DATABASE_NAME, storage: createAppStorage(dir).storage as RxStorage<unknown, unknown>, multiInstance: false,
    });
    try {
      await db.addCollections(COLLECTION_SCHEMAS);
      expectSameDocuments(await snapshot(db as unknown as AppDatabase));
    } finally {
      await db.close();
    }
    expectCurrentTablesOnly(dir);
  });

  it('a stop between moving the rows and retiring the old record loses nothing: RxDB finishes with nothing to move', async () => {
    const dir = copyOfFixture();
    const storage = createAppStorage(dir).storage as unknown as RxStorageSQLite;
    for (const name of MIGRATED) {
      expect(storage.moveToFewerIndexes(DATABASE_NAME, name, 0, fillWithDefaultSettings(COLLECTION_SCHEMAS[name].schema as RxJsonSchema<unknown>))).toBe(true);
    }
    const app = await openTestApp({ dataDir: dir });
    try {
      expectSameDocuments(await snapshot(app.services.db));
      expect(await app.must(fixture.admin, 'contacts:list', { search: '', offset: 0, limit: 50 })).toEqual(fixture.contactsBefore);
    } finally {
      await app.close();
    }
    expectCurrentTablesOnly(dir);
  });
});
