import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { TEST_SECRET } from '../../helpers/test-secret';

// The idle lock against the real app, on an injected clock: nothing here waits for real time.
let app: TestApp;
let clock = 1_000_000;
const MINUTE = 60_000;
afterEach(async () => {
  await app.dispose();
});
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('idle lock', () => {
  it('locks after 10 idle minutes by default; while locked only the lock screen\'s calls pass; unlock needs the secret', async () => {
    app = await openTestApp({ idleClock: () => clock });
    const admin = await app.signIn('admin');
    const as = app.as(admin);
    expect(await app.must(admin, 'session:status', {})).toEqual({ locked: false, idleLockMinutes: 10 });
    clock += 9 * MINUTE;
    expect(code(await as('contacts:list', {}))).toBe('ok');
    // A call is not activity: only the window's reports are.
    clock += MINUTE;
    expect(code(await as('contacts:list', {}))).toBe('locked');
    expect(await app.must(admin, 'session:status', {})).toMatchObject({ locked: true });
    for (const [channel, input] of [
      ['contacts:create', { name: 'X' }],
      ['session:activity', {}],
      ['session:signIn', { userId: admin.userId, secret: TEST_SECRET }],
      ['users:list', {}],
      ['session:setIdleLock', { minutes: 60 }],
    ] as const) {
      expect(code(await app.api.call(channel, input, admin)), channel).toBe('locked');
    }
    expect(await app.services.db.contacts.count().exec()).toBe(0);
    expect((await app.must(admin, 'session:current', {}))?.id).toBe(admin.userId);
    expect(code(await as('session:unlock', { secret: 'not the passphrase' }))).toBe('wrong_secret');
    expect(code(await as('contacts:list', {}))).toBe('locked');
    expect(code(await as('session:unlock', { secret: TEST_SECRET }))).toBe('ok');
    expect(code(await as('contacts:list', {}))).toBe('ok');
  });

  it('reported activity keeps it open; the time is configurable by an admin; each window locks on its own', async () => {
    app = await openTestApp({ idleClock: () => clock });
    const admin = await app.signIn('admin');
    const agent = await app.signIn('field_agent');
    expect(code(await app.as(agent)('session:setIdleLock', { minutes: 2 }))).toBe('forbidden');
    expect(code(await app.as(admin)('session:setIdleLock', { minutes: 0 }))).toBe('invalid_input');
    expect(await app.must(admin, 'session:setIdleLock', { minutes: 2 })).toEqual({ locked: false, idleLockMinutes: 2 });
    for (let i = 0; i < 5; i++) {
      clock += MINUTE + 30_000;
      await app.must(admin, 'session:activity', {});
    }
    expect(code(await app.as(admin)('contacts:list', {}))).toBe('ok');
    expect(code(await app.as(agent)('contacts:list', {}))).toBe('locked');
    // Lock now, from the window's button.
    await app.must(admin, 'session:lock', {});
    expect(code(await app.as(admin)('contacts:list', {}))).toBe('locked');
    // Signing out of a locked window returns to the picker, unlocked for the next person.
    await app.must(admin, 'session:signOut', {});
    expect(await app.must(admin, 'session:status', {})).toMatchObject({ locked: false });
    expect(code(await app.as(admin)('contacts:list', {}))).toBe('not_signed_in');
  });
});
