import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addRxPlugin, createRxDatabase, type RxCollectionCreator, type RxJsonSchema, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterAll, describe, expect, it } from 'vitest';
import { COLLECTION_SCHEMAS, DATABASE_NAME, openAppDatabase } from '../../../src/main/store/database';
import { subscriptionTypeSchema } from '../../../src/main/store/schemas/people-schemas';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { createAppStorage } from '../../../src/main/store/storage';
import type { SubscriptionType } from '../../../src/shared/domain';

addRxPlugin(RxDBMigrationSchemaPlugin);

// A data folder written before consent expiry existed (subscription types at version 0) opens
// with the types intact and without a term.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const { validForMonths: _added, ...v0Properties } = subscriptionTypeSchema.properties;
const typeSchemaV0 = { ...subscriptionTypeSchema, version: 0, properties: v0Properties } as RxJsonSchema<SubscriptionType>;

describe('subscription types written before consent expiry', () => {
  it('migrate to version 1 and keep every field; a term can then be set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-type-migration-'));
    dirs.push(dir);
    const old = await createRxDatabase({ name: DATABASE_NAME, storage: getRxStorageSQLite({ directory: dir }) as RxStorage<unknown, unknown>, multiInstance: false });
    const collections: Record<string, RxCollectionCreator> = { ...COLLECTION_SCHEMAS, subscription_types: { schema: typeSchemaV0 } };
    await old.addCollections(collections);
    const type: SubscriptionType = {
      id: 'type-1', name: 'Promocje', purpose: 'marketing', businessNumber: '+48221234567', phoneNumberId: '1001',
      businessName: 'Sklep', archived: false, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    };
    await old.collections.subscription_types?.insert(type);
    await old.close();

    const db = await openAppDatabase(createAppStorage(dir).storage);
    try {
      const migrated = (await db.subscription_types.findOne('type-1').exec())?.toJSON();
      expect(migrated).toMatchObject(type);
      expect(migrated?.validForMonths).toBeUndefined();
      await db.subscription_types.findOne('type-1').exec().then((d) => d?.incrementalPatch({ validForMonths: 12 }));
      expect((await db.subscription_types.findOne('type-1').exec())?.validForMonths).toBe(12);
    } finally {
      await db.close();
    }
  });
});
