import { describe, expect, it } from 'vitest';
import { asSQLiteInstance } from '../../../src/main/store/rx-storage-sqlite';
import { MARKETING_TYPE, openTestApp, quietLog } from '../../helpers/temp-app';

/*
 * A real full disk, without root (no tmpfs or loop device here): SQLite's max_page_count caps
 * the data file at its present size, and SQLite then fails every write that needs a new page
 * with SQLITE_FULL, the code it gives when the disk itself has no room.
 */
describe('a full disk', () => {
  it('refuses writes with disk_full and what to do, keeps reads and verify working, and writes again once there is room', async () => {
    const app = await openTestApp({ log: quietLog });
    try {
      const admin = await app.signIn('admin');
      await app.must(admin, 'types:create', MARKETING_TYPE);
      for (let i = 0; i < 5; i++) await app.must(admin, 'contacts:create', { name: `Pełny Dysk ${i}`, phoneInput: `+48 601 700 ${String(100 + i)}` });
      const before = await app.must(admin, 'contacts:list', { search: '', offset: 0, limit: 50 });
      const sqlite = asSQLiteInstance(app.services.db.contacts.internalStorageInstance);
      expect(sqlite).toBeDefined();
      sqlite?.fillDiskForTest(0);

      // Enough new contacts that one of them needs a page the file may not grow.
      let refused: { code: string; message: string } | undefined;
      for (let i = 0; i < 800 && !refused; i++) {
        const r = await app.as(admin)('contacts:create', { name: `Nowy ${i} ${'x'.repeat(150)}`, phoneInput: `+48 602 8${String(10000 + i)}` });
        if (!r.ok) refused = r.error;
      }
      expect(refused?.code).toBe('disk_full');
      expect(refused?.message).toMatch(/Free some space/);
      // Fill what room is left inside the pages too, as a disk at 0 bytes would have none.
      for (let i = 0, misses = 0; i < 800 && misses < 5; i++) {
        const r = await app.as(admin)('contacts:create', { name: `M${i}`, phoneInput: `+48 604 8${String(10000 + i)}` });
        misses = r.ok ? 0 : misses + 1;
        if (!r.ok) expect(r.error.code).toBe('disk_full');
      }

      // Reads work; the list has every contact written before the disk filled, and no half contact.
      const during = await app.must(admin, 'contacts:list', { search: 'Pełny', offset: 0, limit: 50 });
      expect(during.rows.map((r) => r.id).sort()).toEqual(before.rows.map((r) => r.id).sort());
      expect((await app.as(admin)('contacts:create', { name: 'Jeszcze jeden', phoneInput: '+48 605 900 100' })).ok).toBe(false);
      // Verify always answers with its verdict; once the audit table's last page is full too,
      // it says its audit entry could not be written instead of failing.
      const entries: string[] = [];
      for (let i = 0; i < 300 && !entries.includes('failed'); i++) {
        const report = await app.must(admin, 'history:verify', {});
        expect(report.ok).toBe(true);
        entries.push(report.auditEntry ?? '');
      }
      expect(entries.at(-1)).toBe('failed');

      sqlite?.fillDiskForTest(100_000);
      await app.must(admin, 'contacts:create', { name: 'Po zwolnieniu', phoneInput: '+48 603 900 100' });
      expect((await app.must(admin, 'history:verify', {})).auditEntry).toBe('recorded');
    } finally {
      await app.dispose();
    }
  }, 120_000);
});
