import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { runAndKill } from '../../helpers/kill-child';
import { makeTempDir, openTestApp } from '../../helpers/temp-app';
import { bigCsv } from '../imports/big-csv';

// A bulk change killed midway (SIGKILL, as a crash or a pulled plug) is listed as
// interrupted with what it applied, and can be resumed to the end or undone.
const here = dirname(fileURLToPath(import.meta.url));
const CONTACTS = 10_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function bulkAndKill(dataDir: string, csvPath: string, killAfter: number): Promise<{ bulkId: string; lastProgress: number; signal: string }> {
  const killed = await runAndKill(join(here, 'bulk-child.ts'), [dataDir, csvPath], 'BULK', killAfter);
  return { bulkId: killed.id, lastProgress: killed.lastProgress, signal: killed.signal };
}

async function killedMidway() {
  const dataDir = makeTempDir();
  dirs.push(dataDir);
  const csvPath = join(dataDir, 'contacts.csv');
  writeFileSync(csvPath, bigCsv(CONTACTS));
  const killed = await bulkAndKill(dataDir, csvPath, 3000);
  expect(killed.signal).toBe('SIGKILL');
  const app = await openTestApp({ dataDir, storage: getRxStorageSQLite({ directory: dataDir }) });
  const admin = { userId: (await app.services.users.list())[0]?.id ?? null };
  const typeId = (await app.services.types.list())[0]?.id ?? '';
  const countBulkEvents = async () => app.services.db.consent_events.count({ selector: { id: { $gte: `bulk:${killed.bulkId}:`, $lt: `bulk:${killed.bulkId}:\uffff` } } }).exec();
  const subscribed = async () => app.services.db.consent_state.count({ selector: { typeId, status: 'subscribed' } }).exec();
  return { app, admin, killed, countBulkEvents, subscribed };
}

it('a bulk change killed midway is listed as interrupted and resumes to the end, recording nothing twice', async () => {
  const { app, admin, killed, countBulkEvents, subscribed } = await killedMidway();
  try {
    const applied = await countBulkEvents();
    expect(applied).toBeGreaterThanOrEqual(3000);
    expect(applied).toBeLessThan(CONTACTS);
    const [listed] = await app.must(admin, 'bulk:list', {});
    expect(listed).toMatchObject({ bulkId: killed.bulkId, state: 'interrupted', changed: applied, status: 'subscribed', legalBasis: 'legitimate_interest_client', undone: false });

    const resumed = await app.must(admin, 'bulk:resume', { bulkId: killed.bulkId });
    expect(resumed).toMatchObject({ state: 'finished', changed: CONTACTS, skipped: { unchanged: applied } });
    expect(await countBulkEvents()).toBe(CONTACTS);
    expect(await subscribed()).toBe(CONTACTS);
    expect((await app.must(admin, 'bulk:list', {}))[0]).toMatchObject({ state: 'finished', changed: CONTACTS });
    expect(await app.as(admin)('bulk:resume', { bulkId: killed.bulkId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  } finally {
    await app.dispose();
  }
}, 240_000);

it('a bulk change killed midway can be undone: every status it set is restored', async () => {
  const { app, admin, killed, countBulkEvents, subscribed } = await killedMidway();
  try {
    const applied = await countBulkEvents();
    expect(await subscribed()).toBe(applied);
    const undo = await app.must(admin, 'bulk:undo', { bulkId: killed.bulkId, explanation: 'crashed' });
    expect(undo).toMatchObject({ restored: applied, skipped: 0 });
    expect(await subscribed()).toBe(0);
    expect((await app.must(admin, 'bulk:list', {}))[0]).toMatchObject({ state: 'interrupted', undone: true });
    // Undone: it is not carried on.
    expect(await app.as(admin)('bulk:resume', { bulkId: killed.bulkId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  } finally {
    await app.dispose();
  }
}, 240_000);
