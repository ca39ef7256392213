import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// After a restart the directory loads contacts first and statuses in the background:
// the first page must still show each row's statuses, and status filters, sorts and
// "all matching" must answer exactly as before the restart.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const NAMES = ['Żaneta 10', 'anna 2', 'Łukasz', 'Zofia', 'Anna 10', 'Ścibor', 'Lucyna', 'Ewa 9'];

describe('the contacts list right after the app starts', () => {
  it('shows statuses on the first page and filters and sorts as before the restart', async () => {
    const dataDir = makeTempDir('consent-desk-start-');
    app = await openTestApp({ dataDir });
    const admin = await app.signIn('admin');
    const typeId = (await app.must(admin, 'types:create', {
      name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', businessName: 'Sklep',
    })).id;
    for (const [i, name] of NAMES.entries()) {
      const c = await app.must(admin, 'contacts:create', { name, phoneInput: `+48 601 234 ${String(100 + i)}` });
      if (i % 3 === 2) continue;
      const subscribed = await app.must(admin, 'consent:change', {
        contactId: c.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'At the fair', basedOn: '',
      });
      if (i % 3 === 1) {
        await app.must(admin, 'consent:change', {
          contactId: c.id, typeId, action: 'unsubscribe', legalBasis: 'consent_with_notice', explanation: 'Asked by phone', basedOn: subscribed.id,
        });
      }
    }
    const queries = [
      { search: '' },
      { search: '', sort: 'name', direction: 'desc' },
      { search: '', sort: 'createdAt', direction: 'desc' },
      { search: '', typeId, status: 'subscribed' },
      { search: '', typeId, status: 'not_specified' },
      { search: '', status: 'unsubscribed' },
      { search: 'ann', direction: 'desc' },
    ] as const;
    const before = [];
    for (const q of queries) before.push(await app.must(admin, 'contacts:list', { ...q, offset: 0, limit: 5 }));
    const allBefore = await app.must(admin, 'contacts:matchingIds', { search: '', typeId, status: 'unsubscribed' });
    const secondBefore = await app.must(admin, 'contacts:list', { search: '', offset: 5, limit: 5 });
    expect(secondBefore.rows).toHaveLength(NAMES.length - 5);
    await app.close();

    app = await openTestApp({ dataDir });
    const session: Session = { userId: (await app.services.users.list())[0]?.id ?? null };
    // Asked at once, before the background load of statuses can have finished.
    const first = await app.must(session, 'contacts:list', { search: '', offset: 0, limit: 5 });
    expect(first).toEqual(before[0]);
    expect(first.rows.some((r) => r.statuses[typeId] === 'subscribed')).toBe(true);
    for (const [i, q] of queries.entries()) {
      expect(await app.must(session, 'contacts:list', { ...q, offset: 0, limit: 5 }), JSON.stringify(q)).toEqual(before[i]);
    }
    expect(await app.must(session, 'contacts:matchingIds', { search: '', typeId, status: 'unsubscribed' })).toEqual(allBefore);
    expect(await app.must(session, 'contacts:list', { search: '', offset: 5, limit: 5 })).toEqual(secondBefore);
  });
});
