import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RxStorage } from 'rxdb';
import { DATABASE_KEY_FILE, newDatabaseKey, writeDatabaseKey } from '../../../src/main/secrets/database-key';
import { chooseSecretStore } from '../../../src/main/secrets/secret-store';
import { DATABASE_NAME, openAppDatabase } from '../../../src/main/store/database';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { openAppStoreFile } from '../../helpers/app-store-file';
import { makeTempDir, openTestApp, quietLog } from '../../helpers/temp-app';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const pageSize = (dataDir: string): number => {
  const db = openAppStoreFile(dataDir);
  try {
    return Number(db.pragma('page_size', { simple: true }));
  } finally {
    db.close();
  }
};

describe('the page encryption scheme', () => {
  it('new stores use SQLCipher 4 with 16 KB pages, and the key file says so', async () => {
    const app = await openTestApp({ log: quietLog });
    dirs.push(app.dataDir);
    const admin = await app.signIn('admin');
    await app.must(admin, 'contacts:create', { name: 'Nowa Strona', phoneInput: '+48 601 700 100' });
    await app.close();
    expect(JSON.parse(readFileSync(join(app.dataDir, DATABASE_KEY_FILE), 'utf8'))).toMatchObject({ scheme: 'sqlcipher-v4-16k' });
    expect(pageSize(app.dataDir)).toBe(16384);
  }, 60_000);

  it('a store from before the scheme was recorded (SQLCipher 4, 4 KB pages, no scheme in the key file) still opens, as it is', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    // Written the way stores were until now: the key file has no scheme, the file 4 KB pages.
    const secrets = chooseSecretStore(dataDir, undefined);
    const key = writeDatabaseKey(dataDir, secrets, newDatabaseKey(), 'sqlcipher-v4').key;
    const keyFile = join(dataDir, DATABASE_KEY_FILE);
    const { scheme: _dropped, ...unmarked } = JSON.parse(readFileSync(keyFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(keyFile, JSON.stringify(unmarked));
    const old = await openAppDatabase(getRxStorageSQLite({ directory: dataDir, cipherKey: key }) as RxStorage<unknown, unknown>, DATABASE_NAME);
    await old.close();
    const first = await openTestApp({ dataDir, log: quietLog });
    const admin = await first.signIn('admin');
    await first.must(admin, 'contacts:create', { name: 'Stara Strona', phoneInput: '+48 601 700 200' });
    await first.close();

    const again = await openTestApp({ dataDir, log: quietLog });
    try {
      const signedIn = await again.signInAs(admin.userId ?? '');
      expect((await again.must(signedIn, 'contacts:list', { search: 'Stara', offset: 0, limit: 5 })).total).toBe(1);
    } finally {
      await again.close();
    }
    expect(pageSize(dataDir)).toBe(4096);
  }, 60_000);
});
