import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { gateUntilContactsLoaded } from '../../../src/main/contacts/start-gate';
import { makeTempDir, openTestApp, quietLog, type TestApp } from '../../helpers/temp-app';

// The app opens before its contacts are read (the window loads meanwhile); the API lets
// the start screen's calls through and holds every other one until the contacts are in.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const listQuery = { search: '' };

describe('the API while the contacts are still loading', () => {
  it('answers the start screen at once and holds contact calls until the contacts are in', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    await app.must(admin, 'contacts:create', { name: 'Anna Nowak', phoneInput: '+48 601 234 567' });
    let release = () => {};
    const loaded = new Promise<void>((resolve) => (release = resolve));
    const api = gateUntilContactsLoaded(app.api, () => loaded, quietLog);

    let answered = false;
    const listing = api.call('contacts:matchingIds', listQuery, admin).then((r) => {
      answered = true;
      return r;
    });
    const anonymous: Session = { userId: null };
    expect((await api.call('users:list', {}, anonymous)).ok).toBe(true);
    expect((await api.call('session:current', {}, admin)).ok).toBe(true);
    expect((await api.call('types:list', {}, admin)).ok).toBe(true);
    expect(answered).toBe(false);

    release();
    const r = await listing;
    expect(r.ok && (r.value as string[]).length).toBe(1);
  });

  it('refuses contact calls with a clear error when the contacts cannot be read, and still offers sign-in', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    const api = gateUntilContactsLoaded(app.api, () => Promise.reject(new Error('disk gone')), quietLog);
    const r = await api.call('contacts:get', { id: 'any' }, admin);
    expect(r.ok ? null : r.error.code).toBe('internal');
    expect((await api.call('users:list', {}, admin)).ok).toBe(true);
  });

  it('answers a status filter asked first after a restart, and finds contacts by number', async () => {
    const dataDir = makeTempDir('consent-desk-start-gate-');
    app = await openTestApp({ dataDir });
    const admin = await app.signIn('admin');
    const typeId = (await app.must(admin, 'types:create', {
      name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', businessName: 'Sklep',
    })).id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await app.must(admin, 'contacts:create', { name: `Kontakt ${i}`, phoneInput: `+48 601 234 ${String(500 + i)}` });
      ids.push(c.id);
      if (i % 2 === 0) {
        await app.must(admin, 'consent:change', {
          contactId: c.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'At the fair', basedOn: '',
        });
      }
    }
    const subscribed = await app.must(admin, 'contacts:matchingIds', { search: '', typeId, status: 'subscribed' });
    expect(subscribed).toHaveLength(3);
    await app.close();

    app = await openTestApp({ dataDir });
    const session: Session = { userId: (await app.services.users.list())[0]?.id ?? null };
    // No page was asked for: waiting for the statuses is what loads them.
    expect(await app.must(session, 'contacts:matchingIds', { search: '', typeId, status: 'subscribed' })).toEqual(subscribed);
    const filtered = await app.must(session, 'contacts:list', { search: '', typeId, status: 'not_specified', offset: 0, limit: 10 });
    expect(filtered.total).toBe(3);

    const { directory } = app.services;
    expect(directory.findByWaNumber('+48601234500')?.id).toBe(ids[0]);
    expect(directory.findByWaNumber('+48601234500')).not.toHaveProperty('_meta');
    // The number index follows edits made after it was built.
    await app.must(session, 'contacts:update', { id: ids[0] ?? '', phoneInput: '+48 601 234 599' });
    expect(directory.findByWaNumber('+48601234500')).toBeNull();
    expect(directory.findByWaNumber('+48601234599')?.id).toBe(ids[0]);
    const dup = await app.as(session)('contacts:create', { name: 'Duplicate', phoneInput: '+48 601 234 599' });
    expect(dup.ok ? null : dup.error.code).toBe('conflict');
    // Rows carry no storage fields.
    const row = await app.must(session, 'contacts:get', { id: ids[1] ?? '' });
    expect(Object.keys(row).filter((k) => k.startsWith('_'))).toEqual([]);
  });
});
