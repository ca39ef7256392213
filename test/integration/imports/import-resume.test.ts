import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { runAndKill } from '../../helpers/kill-child';
import { makeTempDir, openTestApp } from '../../helpers/temp-app';
import { bigCsv } from './big-csv';

const here = dirname(fileURLToPath(import.meta.url));
const ROWS = 12_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Starts the import in a child process and SIGKILLs it once it has applied `killAfter` rows.
// With "undo", the child finishes the import and is killed while undoing it.
async function importAndKill(dataDir: string, csvPath: string, killAfter: number, mode = ''): Promise<{ jobId: string; lastProgress: number; signal: string }> {
  const killed = await runAndKill(join(here, 'import-child.ts'), [dataDir, csvPath, mode], 'JOB', killAfter);
  return { jobId: killed.id, lastProgress: killed.lastProgress, signal: killed.signal };
}

it('an import killed halfway resumes where it stopped, with nothing duplicated or lost', async () => {
  const dataDir = makeTempDir();
  dirs.push(dataDir);
  const csvPath = join(dataDir, 'big.csv');
  writeFileSync(csvPath, bigCsv(ROWS));

  const killed = await importAndKill(dataDir, csvPath, 3000);
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.lastProgress).toBeLessThan(ROWS);

  const app = await openTestApp({ dataDir, storage: getRxStorageSQLite({ directory: dataDir }) });
  try {
    const admin = { userId: (await app.services.users.list())[0]?.id ?? null };
    const unfinished = await app.must(admin, 'imports:list', {});
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]).toMatchObject({ jobId: killed.jobId, state: 'applying', resumable: true });
    const partial = await app.services.db.contacts.count().exec();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ROWS);
    expect(unfinished[0]?.nextRow).toBeGreaterThan(1);

    const summary = await app.must(admin, 'imports:resume', { jobId: killed.jobId });
    expect(summary.state).toBe('finished');
    expect(summary.counts.rows).toBe(ROWS);
    expect(await app.services.db.contacts.count().exec()).toBe(ROWS);
    const events = await app.services.db.consent_events.find({ selector: { source: 'csv_import' } }).exec();
    expect(events).toHaveLength(ROWS);
    expect(new Set(events.map((e) => e.contactId)).size).toBe(ROWS);
    expect(new Set(events.map((e) => e.evidence.row)).size).toBe(ROWS);
    expect(await app.must(admin, 'imports:list', {})).toEqual([]);
  } finally {
    await app.close();
  }
}, 180_000);

it('an undo killed halfway runs again to the end, compensating every status once', async () => {
  const rows = 6000;
  const dataDir = makeTempDir();
  dirs.push(dataDir);
  const csvPath = join(dataDir, 'big.csv');
  writeFileSync(csvPath, bigCsv(rows));

  const killed = await importAndKill(dataDir, csvPath, 1500, 'undo');
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.lastProgress).toBeLessThan(rows);

  const app = await openTestApp({ dataDir, storage: getRxStorageSQLite({ directory: dataDir }) });
  try {
    const admin = { userId: (await app.services.users.list())[0]?.id ?? null };
    const undoneBefore = await app.services.db.consent_events.count({ selector: { id: { $gte: 'csvundo:', $lt: 'csvundo;' } } }).exec();
    expect(undoneBefore).toBeGreaterThan(0);
    expect(undoneBefore).toBeLessThan(rows);
    expect((await app.must(admin, 'imports:recent', {}))[0]?.undone).toBeNull();

    expect(await app.must(admin, 'imports:undo', { jobId: killed.jobId })).toMatchObject({ restored: rows, skipped: 0 });
    expect(await app.services.db.consent_events.count().exec()).toBe(2 * rows);
    const states = await app.services.db.consent_state.find().exec();
    expect(states.filter((s) => s.status !== 'not_specified')).toEqual([]);
  } finally {
    await app.close();
  }
}, 180_000);
