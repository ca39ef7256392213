import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createRxDatabase, type RxCollection } from 'rxdb';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageSQLite, StoreError } from '../../../src/main/store/rx-storage-sqlite';
import { CRASH_BATCH_SIZE, crashBatchSchema, type CrashBatchDoc } from '../../fixtures/store/crash-schema';
import { seededRandom } from '../../helpers/seeded-random';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const CHILD = join(here, 'crash-writer.child.ts');
const RUNS = 8;
const SEED = 20251124;

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cd-crash-'));
  tempDirs.push(dir);
  return dir;
}

type Collections = { batches: RxCollection<CrashBatchDoc> };

async function openCrashDb(directory: string) {
  const db = await createRxDatabase<Collections>({ name: 'crash', storage: getRxStorageSQLite({ directory }), multiInstance: false });
  await db.addCollections({ batches: { schema: crashBatchSchema } });
  return db;
}

// Runs the writer until it has acknowledged `acksBeforeKill` batches, then SIGKILLs it after
// `extraDelayMs`, most likely in the middle of the next bulkWrite. Returns the acknowledged batch ids.
function runAndKill(directory: string, runId: string, acksBeforeKill: number, extraDelayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, directory, runId], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    let killScheduled = false;
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ACK ')) {
          acked.push(line.slice(4));
        }
      }
      if (!killScheduled && acked.length >= acksBeforeKill) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') {
        resolve(acked);
      } else {
        reject(new Error(`writer exited by itself (code ${String(code)}): ${stderr}`));
      }
    });
  });
}

describe('crash durability', () => {
  it('keeps every acknowledged batch and never half a batch after repeated SIGKILLs', async () => {
    const directory = tempDir();
    const random = seededRandom(SEED);
    const acknowledged: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const acks = 1 + Math.floor(random() * 4);
      const delay = Math.floor(random() * 40);
      acknowledged.push(...(await runAndKill(directory, `r${run}`, acks, delay)));
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(RUNS);

    const db = await openCrashDb(directory);
    const counts = new Map<string, number>();
    for (const doc of await db.batches.find().exec()) {
      counts.set(doc.batch, (counts.get(doc.batch) ?? 0) + 1);
    }
    await db.close();
    for (const batch of acknowledged) {
      expect(counts.get(batch), `acknowledged batch ${batch}`).toBe(CRASH_BATCH_SIZE);
    }
    for (const [batch, count] of counts) {
      expect(count, `batch ${batch} is whole`).toBe(CRASH_BATCH_SIZE);
    }

    const raw = new Database(join(directory, 'crash.sqlite'), { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function expectOpenFails(directory: string, code: string): Promise<void> {
  const error: unknown = await openCrashDb(directory).then(
    async (db) => { await db.close(); return undefined; },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
}

describe('damaged and foreign files', () => {
  it('refuses a file that is not SQLite and leaves it untouched', async () => {
    const directory = tempDir();
    const file = join(directory, 'crash.sqlite');
    writeFileSync(file, 'name,phone\nAnna,+48123456789\n'.repeat(100));
    const before = sha256(file);
    await expectOpenFails(directory, 'STORE_FOREIGN');
    expect(sha256(file)).toBe(before);
  });

  it('refuses a SQLite database written by someone else and leaves it untouched', async () => {
    const directory = tempDir();
    const file = join(directory, 'crash.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE contacts (id TEXT PRIMARY KEY, phone TEXT); INSERT INTO contacts VALUES (\'a\', \'1\')');
    other.close();
    const before = sha256(file);
    await expectOpenFails(directory, 'STORE_FOREIGN');
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a damaged store file and leaves it untouched', async () => {
    const directory = tempDir();
    const db = await openCrashDb(directory);
    await db.batches.bulkInsert(Array.from({ length: 500 }, (_, i) => ({ id: `d-${i}`, batch: 'd', i, payload: 'y'.repeat(100) })));
    await db.close();
    const file = join(directory, 'crash.sqlite');
    const pristine = join(directory, 'pristine.bak');
    copyFileSync(file, pristine);

    // Garbage over the schema page (page 1, after the 100-byte header).
    const damaged = readFileSync(pristine);
    damaged.fill(0xa5, 100, 4096);
    writeFileSync(file, damaged);
    const before = sha256(file);
    await expectOpenFails(directory, 'STORE_CORRUPT');
    expect(sha256(file)).toBe(before);
  });

  it('finds damage inside data pages when asked to verify on open', async () => {
    const directory = tempDir();
    const db = await openCrashDb(directory);
    await db.batches.bulkInsert(Array.from({ length: 2000 }, (_, i) => ({ id: `d-${i}`, batch: 'd', i, payload: 'y'.repeat(100) })));
    await db.close();
    const file = join(directory, 'crash.sqlite');
    const damaged = readFileSync(file);
    const middle = Math.floor(damaged.length / 2 / 4096) * 4096;
    damaged.fill(0x5a, middle, middle + 4096);
    writeFileSync(file, damaged);
    const before = sha256(file);
    const error: unknown = await createRxDatabase<Collections>({
      name: 'crash',
      storage: getRxStorageSQLite({ directory, verifyOnOpen: true }),
      multiInstance: false,
    }).then(async (opened) => { await opened.close(); return undefined; }, (e: unknown) => e);
    expect((error as StoreError).code).toBe('STORE_CORRUPT');
    expect(sha256(file)).toBe(before);
  });
});
