import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIN_START_FREE_BYTES } from '../../../src/main/store/read-only-start';
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

/*
 * A real full disk: a tmpfs just big enough for a copy of the data folder, then filled to its
 * last byte by a filler file, mounted in a mount namespace of the child's own (unshare: no
 * root needed where user namespaces are allowed, and nothing is left mounted). The app starts
 * there in a child process; then the filler is removed and the next start is a normal one.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const child = join(repoRoot, 'test/integration/access/read-only-start.child.ts');

type ChildRun = {
  freeAtStart: number | null;
  before: Record<string, string>;
  after: Record<string, string>;
  seen: ReadOnlyObservations;
};

function onFullDisk(source: string, seeded: Seeded, minFree: string): { full: ChildRun; roomy: ChildRun } {
  const mount = makeTempDir('consent-desk-full-disk-');
  dirs.push(mount);
  // Room for the copy and, once the filler is gone, for a normal start.
  const kilobytes = Number(execFileSync('du', ['-sk', source], { encoding: 'utf8' }).split('\t')[0]) + MIN_START_FREE_BYTES / 1024 + 2048;
  const node = (arg: string) => `"${process.execPath}" --import tsx "${child}" "$MNT/data" "$SEEDED" ${arg}`;
  const script = [
    'set -e',
    `mount -t tmpfs -o size=${kilobytes}k tmpfs "$MNT"`,
    'cp -a "$SRC" "$MNT/data"',
    'dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null || true',
    node(minFree),
    'rm "$MNT/fill"',
    node('default'),
  ].join('\n');
  const run = spawnSync('unshare', ['-rm', 'sh', '-c', script], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MNT: mount, SRC: source, SEEDED: JSON.stringify(seeded) }, timeout: 120_000,
  });
  const results = run.stdout.split('\n').filter((line) => line.startsWith('RESULT ')).map((line) => JSON.parse(line.slice(7)) as ChildRun);
  const [full, roomy] = results;
  if (!full || !roomy) throw new Error(`the full-disk child did not finish (status ${String(run.status)}): ${run.stderr.slice(-3000)}`);
  return { full, roomy };
}

describe('a read-only start on a real full disk (tmpfs)', () => {
  for (const [minFree, how] of [['default', 'seen by the free-space check'], ['0', 'seen by the open itself failing for want of room']] as const) {
    it(`starts read-only with 0 bytes free, ${how}; the next start with room is normal`, async () => {
      const source = makeTempDir();
      dirs.push(source);
      const seeded = await seedStore(source);
      const { full, roomy } = onFullDisk(source, seeded, minFree);
      expect(full.freeAtStart).toBe(0);
      expectReadOnlyStart(full.seen, seeded);
      // Nothing was written. A failed normal open may leave SQLite's (empty) shared-memory
      // file behind; every file that was there is byte for byte the same.
      const added = Object.keys(full.after).filter((name) => !(name in full.before));
      expect(added.filter((name) => name !== 'consentdesk.sqlite-shm')).toEqual([]);
      for (const [name, print] of Object.entries(full.before)) expect({ name, print: full.after[name] }).toEqual({ name, print });

      // With the filler gone the same folder starts normally: the writes go through.
      expect(roomy.freeAtStart).toBeGreaterThan(0);
      expect(roomy.seen.startMode).toEqual({ readOnly: false });
      expect(roomy.seen.writes['contacts:create']).toMatchObject({ ok: true });
    }, 180_000);
  }
});

describe('a data folder that cannot be written', () => {
  it('is refused with read_only and what to do, not internal', async () => {
    const source = makeTempDir();
    dirs.push(source);
    const seeded = await seedStore(source);
    const mount = makeTempDir('consent-desk-read-only-folder-');
    dirs.push(mount);
    // A folder on a file system mounted read-only: even root cannot write there.
    const script = [
      'set -e',
      'mount -t tmpfs -o size=64m tmpfs "$MNT"',
      'cp -a "$SRC" "$MNT/data"',
      'mount -o remount,ro "$MNT"',
      `"${process.execPath}" --import tsx "${child}" "$MNT/data" "$SEEDED" refused`,
    ].join('\n');
    const run = spawnSync('unshare', ['-rm', 'sh', '-c', script], {
      cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MNT: mount, SRC: source, SEEDED: JSON.stringify(seeded) }, timeout: 120_000,
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('REFUSED '));
    if (!line) throw new Error(`the read-only-folder child did not finish (status ${String(run.status)}): ${run.stderr.slice(-3000)}`);
    const refused = JSON.parse(line.slice(8)) as { started: boolean; code?: string; message?: string; cause: string };
    expect(refused).toMatchObject({ started: false, code: 'read_only' });
    expect(refused.message).toMatch(/cannot be written to.*permissions/);
  }, 180_000);
});
