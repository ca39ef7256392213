import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newDatabaseKey, writeDatabaseKey } from '../../../src/main/secrets/database-key';
import { chooseSecretStore, type SecretStore } from '../../../src/main/secrets/secret-store';
import { asSQLiteInstance, getRxStorageSQLite, hasPlainSqliteHeader, StoreError } from '../../../src/main/store/rx-storage-sqlite';
import { openAppDatabase } from '../../../src/main/store/database';
import { createAppStorage } from '../../../src/main/store/storage';
import { NEW_STORE_SCHEME } from '../../../src/main/store/encrypted-store';
import { openAppStoreFile } from '../../helpers/app-store-file';
import { makeTempDir, openTestApp, quietLog } from '../../helpers/temp-app';

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = makeTempDir('cd-encrypted-');
  tempDirs.push(dir);
  return dir;
};
const storeFile = (dir: string) => join(dir, 'consentdesk.sqlite');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function folderWithContact(): Promise<string> {
  const dir = tempDir();
  const app = await openTestApp({ dataDir: dir, log: quietLog });
  const admin = await app.signIn('admin');
  await app.must(admin, 'contacts:create', { name: 'Zofia Szyfrowana', phoneInput: '+48 601 222 333' });
  await app.close();
  return dir;
}

async function openFails(dir: string, secrets?: SecretStore): Promise<StoreError> {
  const error: unknown = await openTestApp({ dataDir: dir, log: quietLog, secrets }).then(
    async (app) => { await app.close(); return undefined; },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

// A stand-in for Electron's safeStorage: reversible, and refuses what it did not wrap.
const osStore = (tag: string): SecretStore => ({
  available: true,
  encrypt: (plain) => `${tag}:${Buffer.from(plain).toString('base64')}`,
  decrypt: (cipher) => {
    if (!cipher.startsWith(`${tag}:`)) throw new Error('not ours');
    return Buffer.from(cipher.slice(tag.length + 1), 'base64').toString();
  },
});

describe('the data file is encrypted', () => {
  it('starts with no SQLite header, holds no plain text, and opens again with its key', async () => {
    const dir = await folderWithContact();
    expect(hasPlainSqliteHeader(storeFile(dir))).toBe(false);
    expect(readFileSync(storeFile(dir)).includes(Buffer.from('Szyfrowana'))).toBe(false);
    const key = JSON.parse(readFileSync(join(dir, 'database-key.json'), 'utf8')) as { protection: string; wrapped: string };
    expect(key.protection).toBe('key_file');
    const sql = openAppStoreFile(dir);
    const names = sql.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck(true).all();
    sql.close();
    expect(names).toContain('contacts-1');
  });

  it('records that the OS store wraps the key when there is one, and refuses to open when it cannot unwrap it', async () => {
    const dir = tempDir();
    const app = await openTestApp({ dataDir: dir, log: quietLog, secrets: osStore('os-a') });
    await app.close();
    expect((JSON.parse(readFileSync(join(dir, 'database-key.json'), 'utf8')) as { protection: string }).protection).toBe('os');
    const before = sha(storeFile(dir));
    expect((await openFails(dir, osStore('os-b'))).code).toBe('STORE_KEY_UNREADABLE');
    expect(sha(storeFile(dir))).toBe(before);
  });

  it('refuses a different key, a missing key file and a lost key-file secret, leaving the data untouched', async () => {
    const dir = await folderWithContact();
    const before = sha(storeFile(dir));
    const keyFile = join(dir, 'database-key.json');
    const original = readFileSync(keyFile);

    writeDatabaseKey(dir, chooseSecretStore(dir, undefined), newDatabaseKey(), NEW_STORE_SCHEME);
    expect((await openFails(dir)).code).toBe('STORE_KEY_WRONG');

    rmSync(keyFile);
    expect((await openFails(dir)).code).toBe('STORE_KEY_MISSING');

    writeFileSync(keyFile, original);
    rmSync(join(dir, 'sync-secret.key'));
    expect((await openFails(dir)).code).toBe('STORE_KEY_UNREADABLE');

    writeFileSync(keyFile, '{"v":1,');
    expect((await openFails(dir)).code).toBe('STORE_KEY_MISSING');
    expect(sha(storeFile(dir))).toBe(before);
  });

  it('the background checkpoint worker opens the encrypted file with the key too', async () => {
    const dir = tempDir();
    const store = createAppStorage(dir);
    const storage = getRxStorageSQLite({ directory: dir, cipherKey: store.key, cipherScheme: store.scheme, backgroundCheckpointAfterRows: 10 });
    const db = await openAppDatabase(storage as never);
    const rows = Array.from({ length: 400 }, (_, i) => ({ id: `m${i}`, value: { n: i, text: 'x'.repeat(300) }, updatedAt: '2026-01-01T00:00:00.000Z' }));
    for (let i = 0; i < rows.length; i += 40) await db.local_meta.bulkInsert(rows.slice(i, i + 40));
    const sqlite = asSQLiteInstance(db.local_meta.internalStorageInstance);
    // The worker has opened the file (with the key, or it would have reported a failure)...
    await expect.poll(() => sqlite?.checkpointing().background ?? false, { timeout: 20_000 }).toBe(true);
    // ...and checkpoints the next commit.
    await db.local_meta.insert({ id: 'last', value: {}, updatedAt: '2026-01-01T00:00:00.000Z' });
    await expect.poll(() => sqlite?.checkpointing().runs ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(sqlite?.checkpointing().lost).toBeUndefined();
    await db.close();
    const reopened = await openAppDatabase(createAppStorage(dir).storage);
    expect(await reopened.local_meta.count().exec()).toBe(rows.length + 1);
    await reopened.close();
  });
});

describe('a data file missing or empty where one is expected', () => {
  it('is refused, never replaced by a new empty store', async () => {
    const dir = await folderWithContact();
    const emptied = tempDir();
    for (const name of ['device-id', 'database-key.json', 'sync-secret.key']) writeFileSync(join(emptied, name), readFileSync(join(dir, name)));
    writeFileSync(storeFile(emptied), '');
    expect((await openFails(emptied)).code).toBe('STORE_EMPTY');
    expect(readFileSync(storeFile(emptied)).length).toBe(0);

    rmSync(storeFile(emptied));
    expect((await openFails(emptied)).code).toBe('STORE_MISSING');

    // A device id alone (a folder from before encryption) is enough to know a store was here.
    rmSync(join(emptied, 'database-key.json'));
    expect((await openFails(emptied)).code).toBe('STORE_MISSING');
  });

  it('a new, empty folder starts a new encrypted store', async () => {
    const dir = tempDir();
    const app = await openTestApp({ dataDir: dir, log: quietLog });
    await app.close();
    expect(hasPlainSqliteHeader(storeFile(dir))).toBe(false);
  });
});
