import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { getRxStorageSQLite, hasPlainSqliteHeader } from '../../../src/main/store/rx-storage-sqlite';
import { MIGRATION_STEPS, type MigrationStep } from '../../../src/main/store/plain-store-migration';
import type { ContactPage } from '../../../src/shared/api/contacts-channels';
import { makeTempDir, openTestApp, quietLog } from '../../helpers/temp-app';

const repoRoot = resolve(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'migrate-crash.child.ts');
const NAME = 'Zofia Migracka';
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const storeFile = (dir: string) => join(dir, 'consentdesk.sqlite');

type PlainFolder = { dir: string; admin: Session; contacts: ContactPage };

// A data folder as the app wrote it before encryption: the same app over the unkeyed storage.
async function plainFolder(): Promise<PlainFolder> {
  const dir = makeTempDir('cd-plain-');
  tempDirs.push(dir);
  const app = await openTestApp({ dataDir: dir, log: quietLog, storage: getRxStorageSQLite({ directory: dir, synchronous: 'NORMAL' }) });
  const admin = await app.signIn('admin');
  for (let i = 0; i < 30; i++) {
    await app.must(admin, 'contacts:create', { name: `${NAME} ${i}`, phoneInput: `+48 601 555 ${String(100 + i)}` });
  }
  const contacts = await app.must(admin, 'contacts:list', { search: '', offset: 0, limit: 100 });
  await app.close();
  return { dir, admin, contacts };
}

function copyOf(folder: PlainFolder): string {
  const dir = makeTempDir('cd-plain-copy-');
  tempDirs.push(dir);
  cpSync(folder.dir, dir, { recursive: true });
  return dir;
}

function migrateAndKill(dir: string, step: MigrationStep): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, step], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('error', fail);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child was not killed at ${step} (code ${String(code)}): ${output}`))));
  });
}

async function expectSameContacts(dir: string, folder: PlainFolder): Promise<void> {
  const app = await openTestApp({ dataDir: dir, log: quietLog });
  try {
    const session = await app.signInAs(folder.admin.userId ?? '');
    expect(await app.must(session, 'contacts:list', { search: '', offset: 0, limit: 100 })).toEqual(folder.contacts);
  } finally {
    await app.close();
  }
}

function fileHolds(path: string, text: string): boolean {
  const bytes = readFileSync(path);
  return bytes.includes(Buffer.from(text, 'utf8'));
}

let folder: PlainFolder;
beforeAll(async () => {
  folder = await plainFolder();
}, 120_000);

describe('a plain store from before encryption', () => {
  it('is encrypted at the next start, with every contact, and no plain copy is left', async () => {
    const dir = copyOf(folder);
    expect(hasPlainSqliteHeader(storeFile(dir))).toBe(true);
    expect(fileHolds(storeFile(dir), NAME)).toBe(true);

    await expectSameContacts(dir, folder);

    expect(hasPlainSqliteHeader(storeFile(dir))).toBe(false);
    expect(existsSync(join(dir, 'database-key.json'))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('.encrypting'))).toEqual([]);
    for (const name of readdirSync(dir).filter((n) => n.startsWith('consentdesk.sqlite'))) {
      expect(fileHolds(join(dir, name), NAME), name).toBe(false);
    }
    // Opened again: no second migration, the same contacts.
    await expectSameContacts(dir, folder);
  }, 120_000);

  it('killed at any step, leaves the whole plain store or the whole encrypted one, and the next start finishes', async () => {
    const dirs = MIGRATION_STEPS.map(() => copyOf(folder));
    // In parallel: each child spends most of its time loading, not migrating.
    await Promise.all(MIGRATION_STEPS.map((step, i) => migrateAndKill(dirs[i] ?? '', step)));
    for (const [i, step] of MIGRATION_STEPS.entries()) {
      const dir = dirs[i] ?? '';
      // Up to the rename the plain file is untouched in content; from it on, the encrypted file is in its place.
      expect(hasPlainSqliteHeader(storeFile(dir)), step).toBe(step !== 'swapped');
      expect(existsSync(join(dir, 'database-key.json')), step).toBe(true);
      await expectSameContacts(dir, folder);
      expect(hasPlainSqliteHeader(storeFile(dir)), step).toBe(false);
      expect(readdirSync(dir).filter((name) => name.includes('.encrypting')), step).toEqual([]);
    }
  }, 240_000);
});
