import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// After a restart the contacts home's first page comes from the start page file and the
// contacts changed since it was written, before the directory has read every contact;
// it must be exactly the page the full load gives.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const NAMES = ['Zofia', 'anna', 'Anna 10', 'Anna 9', 'Łucja', 'Lucyna', 'Ćwik', 'Celina', 'Ewa', 'Émile', 'Bartek', 'Żaneta'];
const startView = { search: '', typeId: '', status: '', sort: 'name', direction: 'asc', offset: 0, limit: 5 } as const;

async function seeded() {
  const dataDir = makeTempDir('consent-desk-start-page-');
  app = await openTestApp({ dataDir });
  const admin = await app.signIn('admin');
  const typeId = (await app.must(admin, 'types:create', {
    name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', businessName: 'Sklep',
  })).id;
  const ids = new Map<string, string>();
  for (const [i, name] of NAMES.entries()) {
    ids.set(name, (await app.must(admin, 'contacts:create', { name, phoneInput: `+48 601 234 ${String(500 + i)}` })).id);
  }
  await app.must(admin, 'consent:change', {
    contactId: ids.get('Anna 9') ?? '', typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'At the fair', basedOn: '',
  });
  return { dataDir, typeId, ids };
}

async function reopen(dataDir: string): Promise<Session> {
  await app?.close();
  app = await openTestApp({ dataDir });
  return { userId: (await app.services.users.list())[0]?.id ?? null };
}

// The page the fully loaded directory gives, for comparison.
async function fullPage(session: Session) {
  const current = app as TestApp;
  await current.services.directory.contactsReady;
  return current.must(session, 'contacts:list', startView);
}

describe('the first page after a restart', () => {
  it('comes from the start page file, with statuses, and equals the fully loaded page', async () => {
    const { dataDir, typeId, ids } = await seeded();
    await app?.close();
    expect(existsSync(join(dataDir, 'start-page.json'))).toBe(true);

    app = await openTestApp({ dataDir });
    const session: Session = { userId: (await app.services.users.list())[0]?.id ?? null };
    expect(await app.services.directory.startPage(5)).not.toBeNull();
    const early = await app.must(session, 'contacts:list', startView);
    expect(early.rows.map((r) => r.name)).toEqual(['anna', 'Anna 9', 'Anna 10', 'Bartek', 'Celina']);
    expect(early.total).toBe(NAMES.length);
    expect(early.rows.find((r) => r.id === ids.get('Anna 9'))?.statuses[typeId]).toBe('subscribed');
    expect(Object.keys(early.rows[0] ?? {}).filter((k) => k.startsWith('_'))).toEqual([]);
    expect(await fullPage(session)).toEqual(early);
    // Loaded, the directory answers itself.
    expect(await app.services.directory.startPage(5)).toBeNull();
  });

  it('takes in contacts added, renamed and deleted after the file was written', async () => {
    const { dataDir, ids } = await seeded();
    await app?.close();
    const file = join(dataDir, 'start-page.json');
    copyFileSync(file, `${file}.old`);

    const session = await reopen(dataDir);
    await app?.must(session, 'contacts:update', { id: ids.get('Żaneta') ?? '', name: 'Aaron' });
    await app?.must(session, 'contacts:create', { name: 'Adam', phoneInput: '+48 601 234 600' });
    await (await app?.services.db.contacts.findOne(ids.get('anna') ?? '').exec())?.remove();
    await app?.close();
    // As if the app had been killed before writing the file again.
    copyFileSync(`${file}.old`, file);

    const again = await reopen(dataDir);
    expect(await app?.services.directory.startPage(5)).not.toBeNull();
    const early = await app?.must(again, 'contacts:list', startView);
    expect(early?.rows.map((r) => r.name)).toEqual(['Aaron', 'Adam', 'Anna 9', 'Anna 10', 'Bartek']);
    expect(early?.total).toBe(NAMES.length);
    expect(await fullPage(again)).toEqual(early);
  });

  it.each([
    ['is damaged', (file: string) => writeFileSync(file, '{"format":1,"checkpoint":')],
    ['names a point the store does not hold', (file: string) =>
      writeFileSync(file, JSON.stringify({ format: 1, checkpoint: { id: 'elsewhere', lwt: 1 }, entries: [{ id: 'x', name: 'Aaron' }] }))],
    ['lists a contact the store does not have', (file: string, checkpoint: { id: string; lwt: number }) =>
      writeFileSync(file, JSON.stringify({ format: 1, checkpoint, entries: [{ id: 'ghost', name: 'Aaron' }] }))],
  ])('waits for the full load when the file %s, and answers the same', async (_, spoil) => {
    const { dataDir } = await seeded();
    const newest = (await app?.services.db.contacts.find({ sort: [{ updatedAt: 'desc' }], limit: 1 }).exec())?.[0];
    const checkpoint = { id: newest?.id ?? '', lwt: newest?.toJSON(true)._meta.lwt ?? 0 };
    const session = await reopen(dataDir);
    const expected = await fullPage(session);
    await app?.close();

    spoil(join(dataDir, 'start-page.json'), checkpoint);
    const again = await reopen(dataDir);
    expect(await app?.services.directory.startPage(5)).toBeNull();
    expect(await app?.must(again, 'contacts:list', startView)).toEqual(expected);
  });

  it('is not used for any other view', async () => {
    const { dataDir } = await seeded();
    const session = await reopen(dataDir);
    const byNameDesc = await app?.must(session, 'contacts:list', { ...startView, direction: 'desc' });
    expect(byNameDesc?.rows[0]?.name).toBe('Żaneta');
    const searched = await app?.must(session, 'contacts:list', { ...startView, search: 'anna' });
    expect(searched?.total).toBe(3);
  });
});
