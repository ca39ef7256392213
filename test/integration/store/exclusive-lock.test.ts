import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createRxDatabase, fillWithDefaultSettings, type RxCollection } from 'rxdb';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageSQLite, StoreError } from '../../../src/main/store/rx-storage-sqlite';
import { crashBatchSchema, type CrashBatchDoc } from '../../fixtures/store/crash-schema';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const WRITER = join(here, 'crash-writer.child.ts');

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function openDb(directory: string) {
  const db = await createRxDatabase<{ batches: RxCollection<CrashBatchDoc> }>({
    name: 'crash', storage: getRxStorageSQLite({ directory, lockTimeoutMs: 100 }), multiInstance: false,
  });
  await db.addCollections({ batches: { schema: crashBatchSchema } });
  return db;
}

// Starts the crash writer (which writes batches until killed) and resolves once it has written one.
function startWriter(directory: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, directory, 'lock'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ACK ')) {
        resolve(child);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`writer exited (code ${String(code)}): ${stderr}`)));
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('one process at a time', () => {
  it('refuses to open a data file another process has open, and opens it once that process is gone', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cd-lock-'));
    tempDirs.push(directory);
    const writer = await startWriter(directory);
    try {
      const error: unknown = await openDb(directory).then(async (db) => { await db.close(); return undefined; }, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_LOCKED');

      // The lock lives on a sibling file (the data file's log is shared with the owner's checkpoint
      // thread): not even a plain SQLite reader gets into that file while the owner is alive.
      const raw = new Database(`${join(directory, 'crash.sqlite')}.lock`, { readonly: true, timeout: 100 });
      try {
        expect(() => raw.prepare('SELECT pid FROM owner').get()).toThrow(/locked|busy/i);
      } finally {
        raw.close();
      }
    } finally {
      await killAndWait(writer);
    }

    // The OS drops the lock with the process: the next owner opens and sees the acknowledged writes.
    const db = await openDb(directory);
    try {
      expect(await db.batches.count().exec()).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('lets one process open, close and reopen the same folder, sharing the file while open', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cd-lock-'));
    tempDirs.push(directory);
    const schema = fillWithDefaultSettings(crashBatchSchema);
    const params = { databaseInstanceToken: 'token', databaseName: 'crash', collectionName: 'batches', schema, options: {}, multiInstance: false, devMode: false };
    for (let round = 0; round < 3; round++) {
      const db = await openDb(directory);
      await db.batches.insert({ id: `doc-${round}`, batch: 'b', i: round, payload: '' });
      // Another storage object in the same process shares the open connection instead of locking itself out.
      const instance = await getRxStorageSQLite({ directory, lockTimeoutMs: 100 }).createStorageInstance<CrashBatchDoc>(params);
      expect(await instance.findDocumentsById([`doc-${round}`], false)).toHaveLength(1);
      await instance.close();
      expect(await db.batches.count().exec()).toBe(round + 1);
      await db.close();
    }
  });
});
