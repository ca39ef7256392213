import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { makeTempDir, openTestApp, quietLog } from '../../helpers/temp-app';
import { exerciseStart, folderFingerprint, type ReadOnlyObservations, type Seeded, seedStore } from './read-only-scenario';

// What a read-only start must show, wherever its full disk came from.
function expectReadOnlyStart(seen: ReadOnlyObservations, seeded: Seeded): void {
  expect(seen.startMode).toMatchObject({ readOnly: true, reason: 'disk_full' });
  expect(seen.storeMode).toEqual(seen.startMode);
  // Every read works: lists, a contact, the history, may-I-message, verify, an export.
  expect(seen.contactsListed).toEqual([...seeded.contactIds].sort());
  expect(seen.contactName).toBe('Tylko Odczyt 0');
  expect(seen.eventsInHistory).toBe(seeded.contactIds.length);
  expect(seen.mayMessage).toBe(true);
  expect(seen.verify).toEqual({ ok: true, events: seeded.contactIds.length, auditEntry: 'failed' });
  expect(seen.exportRows).toBe(seeded.contactIds.length);
  expect(seen.exportHasName).toBe(true);
  // A wrong secret is still a wrong secret (its count is kept in memory, see profile-secrets.ts).
  expect(seen.wrongSecret).toMatchObject({ ok: false, code: 'wrong_secret' });
  // Every write is refused with read_only and what to do; sync does not start.
  for (const [channel, refused] of Object.entries(seen.writes)) {
    expect({ channel, ok: refused.ok, code: refused.code }).toEqual({ channel, ok: false, code: 'read_only' });
    expect(refused.message).toMatch(/disk .* is full.*Free some space.*restart/);
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a read-only start', () => {
  it('starts read-only when the disk has less room than a start needs: reads work, writes are refused, nothing is written', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const seeded = await seedStore(dataDir);
    const before = folderFingerprint(dataDir);
    // No disk has this much room: the real free space of the test's disk is below it.
    const seen = await exerciseStart(dataDir, seeded, { minFreeBytes: Number.MAX_SAFE_INTEGER });
    expectReadOnlyStart(seen, seeded);
    expect(folderFingerprint(dataDir)).toEqual(before);

    // The next start with room is a normal one, and the write refused before now lands.
    const app = await openTestApp({ dataDir, log: quietLog });
    try {
      expect(app.services.startMode).toEqual({ readOnly: false });
      const admin = await app.signInAs(seeded.adminId);
      await app.must(admin, 'contacts:create', { name: 'Nowy Kontakt', phoneInput: '+48 602 900 100' });
      expect((await app.must(admin, 'contacts:list', { search: '', offset: 0, limit: 50 })).total).toBe(seeded.contactIds.length + 1);
    } finally {
      await app.close();
    }
  }, 60_000);
});
