import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';
import { TEST_PIN, TEST_SECRET } from '../../helpers/test-secret';

// Profile secrets against the real store: sign-in needs the secret, wrong ones back off with
// a wait kept across restarts, admins reset others' secrets but nobody reads one.
let app: TestApp;
let clock = Date.parse('2026-03-01T10:00:00Z');
const now = () => new Date(clock);
afterEach(async () => {
  await app.dispose();
});

const fresh = (): Session => ({ userId: null });
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('profile secrets', () => {
  it('every profile needs a secret fit for its role; PINs only for field agents', async () => {
    app = await openTestApp({ now });
    const anyone = app.as(fresh());
    expect(code(await anyone('users:create', { name: 'Ada', role: 'admin' } as never))).toBe('invalid_input');
    expect(await anyone('users:create', { name: 'Ada', role: 'admin', secret: '123456' })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('passphrase') } });
    expect(code(await anyone('users:create', { name: 'Ada', role: 'admin', secret: 'short' }))).toBe('invalid_input');
    expect(code(await anyone('users:create', { name: 'Ada', role: 'admin', secret: 'x'.repeat(257) }))).toBe('invalid_input');
    // Nothing was created by the refused calls.
    expect(await app.must(fresh(), 'users:list', {})).toEqual([]);

    const admin = await app.signIn('admin');
    const as = app.as(admin);
    expect(code(await as('users:create', { name: 'Olga', role: 'compliance_officer', secret: '12345678' }))).toBe('invalid_input');
    expect(code(await as('users:create', { name: 'Filip', role: 'field_agent', secret: '12345' }))).toBe('invalid_input');
    expect(code(await as('users:create', { name: 'Filip', role: 'field_agent', secret: '1234567890123' }))).toBe('invalid_input');
    const filip = await app.must(admin, 'users:create', { name: 'Filip', role: 'field_agent', secret: TEST_PIN });
    expect(await app.signInAs(filip.id, TEST_PIN)).toMatchObject({ userId: filip.id });
    // A profile signing in with a PIN cannot become an admin until it has a passphrase.
    expect(code(await as('users:update', { id: filip.id, role: 'admin' }))).toBe('conflict');
    await app.must(admin, 'users:setSecret', { userId: filip.id, secret: 'filip passphrase' });
    expect(code(await as('users:update', { id: filip.id, role: 'admin' }))).toBe('ok');
  });

  it('sign-in needs the right secret; wrong ones are refused and audited; no hash ever leaves main', async () => {
    app = await openTestApp({ now });
    const admin = await app.signIn('admin');
    const agentSession = await app.signIn('field_agent', 'Filip', TEST_PIN);
    const filipId = agentSession.userId ?? '';

    const window = fresh();
    expect(await app.as(window)('session:signIn', { userId: filipId, secret: '000000' })).toMatchObject({ ok: false, error: { code: 'wrong_secret' } });
    expect(window.userId).toBeNull();
    expect(code(await app.as(window)('session:signIn', { userId: filipId } as never))).toBe('invalid_input');
    expect(code(await app.as(window)('session:signIn', { userId: 'nobody', secret: TEST_PIN }))).toBe('not_found');
    expect(code(await app.as(window)('contacts:list', {}))).toBe('not_signed_in');
    expect(code(await app.as(window)('session:signIn', { userId: filipId, secret: TEST_PIN }))).toBe('ok');
    expect(window.userId).toBe(filipId);

    const audit = await app.must(admin, 'audit:list', {});
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['session.sign_in_failed', 'session.sign_in']));
    expect(audit.entries.find((e) => e.action === 'session.sign_in_failed')?.details).toMatchObject({ userId: filipId, failedAttempts: 1 });

    // Whatever the API returns about users, it never carries the stored hash or salt.
    const stored = (await app.services.db.local_meta.findOne(`profile-secret:${filipId}`).exec())?.toMutableJSON().value as { hash: { hash: string; salt: string } };
    const everything = JSON.stringify([
      await app.must(admin, 'users:list', {}),
      await app.must(admin, 'users:secretsState', {}),
      await app.must(admin, 'audit:list', {}),
      await app.must(window, 'session:current', {}),
    ]);
    expect(everything).not.toContain(stored.hash.hash);
    expect(everything).not.toContain(stored.hash.salt);
    expect(everything).not.toContain(TEST_PIN);
  });

  it('wrong attempts back off per profile, the wait survives a restart, the right secret clears it', async () => {
    const dataDir = makeTempDir();
    app = await openTestApp({ now, dataDir });
    await app.signIn('admin');
    const filipId = (await app.signIn('field_agent', 'Filip', TEST_PIN)).userId ?? '';
    const window = fresh();
    const attempt = (secret: string) => app.as(window)('session:signIn', { userId: filipId, secret });
    for (let i = 0; i < 4; i++) expect(code(await attempt('999999'))).toBe('wrong_secret');
    expect(await attempt('999999')).toMatchObject({ ok: false, error: { code: 'wrong_secret', details: { failedAttempts: 5, retryAfterMs: 30_000 } } });
    // While the wait runs even the right secret is refused, without being checked.
    expect(await attempt(TEST_PIN)).toMatchObject({ ok: false, error: { code: 'too_many_attempts', message: expect.stringContaining('30 seconds') } });
    // Another profile is not held up.
    expect(code(await app.as(fresh())('session:signIn', { userId: (await app.must(fresh(), 'users:list', {}))[0]?.id ?? '', secret: TEST_SECRET }))).toBe('ok');

    await app.close();
    app = await openTestApp({ now, dataDir });
    expect(code(await attempt(TEST_PIN))).toBe('too_many_attempts');
    clock += 30_000;
    expect(await attempt('999999')).toMatchObject({ ok: false, error: { code: 'wrong_secret', details: { failedAttempts: 6, retryAfterMs: 60_000 } } });
    clock += 60_000;
    expect(code(await attempt(TEST_PIN))).toBe('ok');
    // Success clears the count: the next wrong one is free again.
    expect(await attempt('999999')).toMatchObject({ ok: false, error: { code: 'wrong_secret', details: { failedAttempts: 1, retryAfterMs: 0 } } });
  });

  it('parallel guesses are counted one by one: no burst gets past the wait', async () => {
    app = await openTestApp({ now });
    await app.signIn('admin');
    const filipId = (await app.signIn('field_agent', 'Filip', TEST_PIN)).userId ?? '';
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => app.as(fresh())('session:signIn', { userId: filipId, secret: String(100000 + i) })),
    );
    expect(guesses.filter((r) => code(r) === 'wrong_secret')).toHaveLength(5);
    expect(guesses.filter((r) => code(r) === 'too_many_attempts')).toHaveLength(7);
  });

  it('an admin resets another profile\'s secret (audited); others cannot; your own needs the current one', async () => {
    app = await openTestApp({ now });
    const admin = await app.signIn('admin');
    const agent = await app.signIn('field_agent', 'Filip', TEST_PIN);
    const officer = await app.signIn('compliance_officer', 'Olga');
    const filipId = agent.userId ?? '';

    expect(code(await app.as(officer)('users:setSecret', { userId: filipId, secret: '111111' }))).toBe('forbidden');
    expect(code(await app.as(agent)('users:setSecret', { userId: admin.userId ?? '', secret: 'taken over by filip' }))).toBe('forbidden');
    expect(await app.must(admin, 'users:setSecret', { userId: filipId, secret: '111111' })).toBeNull();
    expect(code(await app.as(fresh())('session:signIn', { userId: filipId, secret: TEST_PIN }))).toBe('wrong_secret');
    expect(code(await app.as(fresh())('session:signIn', { userId: filipId, secret: '111111' }))).toBe('ok');
    const resets = (await app.must(admin, 'audit:list', { action: 'users.secret_reset' })).entries;
    expect(resets).toHaveLength(1);
    expect(resets[0]).toMatchObject({ actorId: admin.userId, details: { userId: filipId, name: 'Filip', kind: 'pin' } });
    expect(JSON.stringify(resets)).not.toContain('111111');

    expect(code(await app.as(agent)('users:setSecret', { userId: filipId, secret: '222222' }))).toBe('invalid_input');
    expect(code(await app.as(agent)('users:setSecret', { userId: filipId, secret: '222222', currentSecret: '000000' }))).toBe('wrong_secret');
    expect(code(await app.as(agent)('users:setSecret', { userId: filipId, secret: '222222', currentSecret: '111111' }))).toBe('ok');
    expect(code(await app.as(fresh())('session:signIn', { userId: filipId, secret: '222222' }))).toBe('ok');
  });

  it('a store from before secrets: an admin sets up the first passphrase, once; others wait for an admin', async () => {
    app = await openTestApp({ now });
    // Profiles as an earlier version wrote them: documents with no secret anywhere.
    const at = now().toISOString();
    await app.services.db.users.bulkInsert([
      { id: 'old-admin', name: 'Old Admin', role: 'admin', createdAt: at, updatedAt: at },
      { id: 'old-agent', name: 'Old Agent', role: 'field_agent', createdAt: at, updatedAt: at },
    ]);
    const anyone = app.as(fresh());
    expect(await app.must(fresh(), 'users:secretsState', {})).toEqual({ setupNeeded: true, withoutSecret: ['old-admin', 'old-agent'] });
    expect(code(await anyone('session:signIn', { userId: 'old-admin', secret: TEST_SECRET }))).toBe('secret_not_set');
    expect(code(await anyone('session:setUp', { userId: 'old-agent', secret: TEST_SECRET }))).toBe('forbidden');
    expect(code(await anyone('session:setUp', { userId: 'old-admin', secret: '123456' }))).toBe('invalid_input');
    const window = fresh();
    expect(await app.as(window)('session:setUp', { userId: 'old-admin', secret: TEST_SECRET })).toMatchObject({ ok: true, value: { id: 'old-admin' } });
    expect(window.userId).toBe('old-admin');
    // Closed for good once any secret exists.
    expect(code(await anyone('session:setUp', { userId: 'old-admin', secret: 'another passphrase' }))).toBe('forbidden');
    expect(await app.must(fresh(), 'users:secretsState', {})).toEqual({ setupNeeded: false, withoutSecret: ['old-agent'] });
    expect(code(await anyone('session:signIn', { userId: 'old-agent', secret: TEST_PIN }))).toBe('secret_not_set');
    await app.must(window, 'users:setSecret', { userId: 'old-agent', secret: TEST_PIN });
    expect(code(await anyone('session:signIn', { userId: 'old-agent', secret: TEST_PIN }))).toBe('ok');
  });
});
