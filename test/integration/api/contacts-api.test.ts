import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { TEST_SECRET } from '../../helpers/test-secret';

let app: TestApp;
beforeEach(async () => {
  app = await openTestApp();
});
afterEach(async () => {
  await app.dispose();
});

describe('contacts through the API against the real store', () => {
  it('creates, edits, lists and opens contacts; numbers become E.164', async () => {
    const admin = await app.signIn('admin');
    const created = await app.must(admin, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '601 234 567', email: 'jan@example.pl' });
    expect(created).toMatchObject({ waNumber: '+48601234567', phoneValid: true, statuses: {}, optedOutAll: false });

    const edited = await app.must(admin, 'contacts:update', { id: created.id, properties: { lifecycle: 'customer' } });
    expect(edited.properties).toEqual({ lifecycle: 'customer' });
    expect(edited.name).toBe('Jan Kowalski');

    await app.must(admin, 'contacts:create', { name: 'Anna Nowak', phoneInput: '+48 512 345 678' });
    const page = await app.must(admin, 'contacts:list', { search: '' });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.name)).toEqual(['Anna Nowak', 'Jan Kowalski']);
    expect((await app.must(admin, 'contacts:list', { search: '601-234' })).rows.map((r) => r.name)).toEqual(['Jan Kowalski']);
    expect((await app.must(admin, 'contacts:list', { search: 'NOWAK' })).rows.map((r) => r.name)).toEqual(['Anna Nowak']);
    expect((await app.must(admin, 'contacts:get', { id: created.id })).properties).toEqual({ lifecycle: 'customer' });
  });

  it('keeps an invalid number visible but marked invalid', async () => {
    const admin = await app.signIn('admin');
    const c = await app.must(admin, 'contacts:create', { name: 'Bad Number', phoneInput: '12345' });
    expect(c).toMatchObject({ phoneInput: '12345', waNumber: '', phoneValid: false });
  });

  it('refuses a second contact with the same WhatsApp number and stores nothing', async () => {
    const admin = await app.signIn('admin');
    await app.must(admin, 'contacts:create', { name: 'First', phoneInput: '+48 601 234 567' });
    const r = await app.as(admin)('contacts:create', { name: 'Second', phoneInput: '0048601234567' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await app.services.db.contacts.count().exec()).toBe(1);
  });

  it('persists across a restart of the app over the same folder', async () => {
    const admin = await app.signIn('admin');
    await app.must(admin, 'contacts:create', { name: 'Survivor', phoneInput: '+48 601 234 567' });
    await app.close();
    const reopened = await openTestApp({ dataDir: app.dataDir });
    try {
      const list = await reopened.must(admin, 'contacts:list', {});
      expect(list.rows.map((r) => r.name)).toEqual(['Survivor']);
    } finally {
      await reopened.close();
    }
    app = await openTestApp();
  });
});

describe('bad input and roles are refused in main and change nothing', () => {
  it('unknown channel, wrong shapes and odd values', async () => {
    const admin = await app.signIn('admin');
    const call = app.api.call;
    expect(await call('contacts:drop', {}, admin)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await call('__proto__', {}, admin)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await call('contacts:create', { name: '' }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('contacts:create', { name: 'X', email: 'not-an-email' }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('contacts:create', { name: 'X', extra: true }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('contacts:create', { name: 'x'.repeat(201) }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('contacts:create', [1, 2, 3], admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('contacts:list', { limit: 10_000 }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('users:create', { name: 'Eve', role: 'superuser' }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await app.services.db.contacts.count().exec()).toBe(0);
  });

  it('the error message names the bad field', async () => {
    const admin = await app.signIn('admin');
    const r = await app.api.call('contacts:create', { name: 'X', email: 'nope' }, admin);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('email');
  });

  it('no profile, wrong role', async () => {
    const officer = await app.signIn('compliance_officer');
    const agent = await app.signIn('field_agent');
    expect(await app.api.call('contacts:list', {}, { userId: null })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await app.api.call('contacts:create', { name: 'X' }, officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.api.call('users:create', { name: 'Y', role: 'admin', secret: TEST_SECRET }, agent)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.api.call('contacts:list', {}, { userId: 'no-such-user' })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect((await app.must(officer, 'contacts:list', {})).total).toBe(0);
    expect(await app.services.db.contacts.count().exec()).toBe(0);
    expect(await app.services.db.users.count().exec()).toBe(3);
  });

  it('the first profile must be an admin; the last admin cannot be demoted', async () => {
    const none = { userId: null };
    expect(await app.api.call('users:create', { name: 'Agent', role: 'field_agent', secret: TEST_SECRET }, none)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const admin = await app.signIn('admin');
    expect(await app.api.call('users:update', { id: admin.userId ?? '', role: 'field_agent' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a signed-in session is per window: signing in one does not sign in another', async () => {
    const admin = await app.signIn('admin');
    const other = { userId: null };
    expect((await app.api.call('session:current', {}, admin)).ok).toBe(true);
    expect(await app.api.call('session:current', {}, other)).toEqual({ ok: true, value: null });
  });
});
