import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../../src/main/consent/event-hash';
import type { ConsentEvent } from '../../../src/shared/domain';
import { seededRandom } from '../../helpers/seeded-random';
import { makeTempDir, openTestApp } from '../../helpers/temp-app';

// Nothing is lost: a process killed while recording consent loses no acknowledged
// event, never leaves a half-written batch or a broken hash chain, and the projection
// after restart equals a rebuild from the ledger.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const CHILD = join(here, 'ledger-writer.child.ts');
const dataDir = makeTempDir('cd-ledger-crash-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// A fixed seed keeps the kill points reproducible; it is printed on failure.
const SEED = 424242;
const rand = seededRandom(SEED);

function runAndKill(runId: string, acksBeforeKill: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, runId], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ACK ')) acked.push(line.slice(4));
      if (!killed && acked.length >= acksBeforeKill) {
        killed = true;
        // Kill on the next turn of our loop, while the child is most likely mid-write.
        setImmediate(() => child.kill('SIGKILL'));
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

describe('ledger survives being killed mid-write', () => {
  it('keeps every acknowledged event, an intact chain and a consistent projection', async () => {
    const seed = await openTestApp({ dataDir });
    const admin = await seed.signIn('admin');
    await seed.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48221234567', businessName: 'Shop' });
    for (let i = 0; i < 20; i++) await seed.must(admin, 'contacts:create', { name: `C${i}`, phoneInput: `+48 601 234 5${String(i).padStart(2, '0')}` });
    await seed.close();

    const acknowledged: string[] = [];
    for (let run = 0; run < 5; run++) {
      const target = 20 + Math.floor(rand() * 200);
      acknowledged.push(...(await runAndKill(`r${run}`, target)));
    }

    const app = await openTestApp({ dataDir });
    try {
      const events = (await app.services.db.consent_events.find().exec()).map((d) => d.toMutableJSON() as ConsentEvent);
      const ids = new Set(events.map((e) => e.id));
      const missing = acknowledged.filter((id) => !ids.has(id));
      expect(missing, `seed ${SEED}`).toEqual([]);
      // A batch is one transaction: every batch present is present whole.
      const byBatch = new Map<string, number>();
      for (const e of events) byBatch.set(`${e.evidence.run}:${e.evidence.batch}`, (byBatch.get(`${e.evidence.run}:${e.evidence.batch}`) ?? 0) + 1);
      for (const [key, count] of byBatch) expect(count, key).toBe(1 + (Number(key.split(':')[1]) % 7));
      expect(verifyChains(events), `seed ${SEED}`).toMatchObject({ ok: true, issues: [] });
      const snapshot = async () =>
        (await app.services.db.consent_state.find().exec()).map((d) => {
          const { updatedAt: _u, ...rest } = d.toMutableJSON();
          return rest;
        }).sort((a, b) => a.id.localeCompare(b.id));
      const before = await snapshot();
      await app.services.ledger.rebuildProjection();
      expect(await snapshot()).toEqual(before);
    } finally {
      await app.close();
    }
  });
});

describe('the projection heals from its checkpoint', () => {
  it('events written while the ledger was not watching (a crash before projecting) are projected at the next start', async () => {
    const dir = makeTempDir('cd-ledger-heal-');
    try {
      const app = await openTestApp({ dataDir: dir });
      const admin = await app.signIn('admin');
      const type = await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48221234567', businessName: 'Shop' });
      const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
      const ev = await app.must(admin, 'consent:change', { contactId: c.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
      await app.close();

      // Simulate the crash window: the event is in the ledger, its projection row is stale.
      const { openAppDatabase } = await import('../../../src/main/store/database');
      const { createAppStorage } = await import('../../../src/main/store/storage');
      const store = createAppStorage(dir);
      const raw = await openAppDatabase(store.storage, store.name);
      await raw.consent_events.insert({ ...ev, id: 'late-1', seq: ev.seq + 1, status: 'unsubscribed', occurredAt: '2099-01-01T00:00:00.000Z', basedOn: ev.id });
      await raw.close();

      const reopened = await openTestApp({ dataDir: dir });
      try {
        expect((await reopened.services.ledger.state(c.id, type.id))?.status).toBe('unsubscribed');
        expect((await reopened.must(admin, 'contacts:get', { id: c.id })).statuses[type.id]).toBe('unsubscribed');
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
