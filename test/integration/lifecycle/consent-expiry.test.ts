import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';

// Expiry against the real engine and store, with an injected clock: the term is a pure
// function of the ledger, the type and that clock.
let app: TestApp;
let admin: Session;
let typeId: string;
let clock = new Date('2026-01-10T09:00:00.000Z');

beforeEach(async () => {
  clock = new Date('2026-01-10T09:00:00.000Z');
  app = await openTestApp({ now: () => clock });
  admin = await app.signIn('admin');
  typeId = (await app.must(admin, 'types:create', {
    name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep', validForMonths: 6,
  })).id;
});
afterEach(async () => {
  await app.dispose();
});

const subscribe = async (contactId: string, action: 'subscribe' | 'resubscribe' = 'subscribe') => {
  const panel = await app.must(admin, 'consent:forContact', { contactId });
  const row = panel.types.find((t) => t.type.id === typeId);
  return app.must(admin, 'consent:change', {
    contactId, typeId, action, legalBasis: 'consent_with_notice', explanation: 'Paper form', basedOn: row?.lastEvent?.id ?? '',
  });
};

describe('consent expiry (issue 22)', () => {
  it('a type keeps its term; bad terms are refused and change nothing', async () => {
    const types = await app.must(admin, 'types:list', {});
    expect(types[0]?.validForMonths).toBe(6);
    for (const bad of [-1, 1.5, 121, Number.NaN]) {
      const r = await app.as(admin)('types:update', { id: typeId, validForMonths: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    const bogus = await app.as(admin)('types:update', { id: typeId, validForMonths: '6' as unknown as number });
    expect(bogus.ok).toBe(false);
    expect((await app.must(admin, 'types:list', {}))[0]?.validForMonths).toBe(6);
    // Updating another field keeps the term.
    await app.must(admin, 'types:update', { id: typeId, name: 'Promotions' });
    expect((await app.must(admin, 'types:list', {}))[0]?.validForMonths).toBe(6);
    const officer = await app.signIn('compliance_officer');
    expect((await app.as(officer)('types:update', { id: typeId, validForMonths: 1 })).ok).toBe(false);
  });

  it('expired consent stops marketing with the reason, is listed for re-permission, and a resubscribe renews it', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
    await subscribe(c.id);
    expect(await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId, category: 'marketing' })).toMatchObject({
      allowed: true, reasonCode: 'ok_subscribed', expiresAt: '2026-07-10T09:00:00.000Z',
    });
    expect((await app.must(admin, 'lifecycle:repermission', {})).rows).toEqual([]);

    clock = new Date('2026-06-20T09:00:00.000Z');
    const soon = await app.must(admin, 'lifecycle:repermission', { withinDays: 30 });
    expect(soon).toMatchObject({ expired: 0, expiring: 1 });
    expect(soon.rows[0]).toMatchObject({ contactId: c.id, contactName: 'Jan Kowalski', expiresAt: '2026-07-10T09:00:00.000Z', daysLeft: 20, expired: false });
    expect((await app.must(admin, 'lifecycle:repermission', { withinDays: 7 })).rows).toEqual([]);

    clock = new Date('2026-07-10T09:00:00.000Z');
    const answer = await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId, category: 'marketing' });
    expect(answer).toMatchObject({ allowed: false, reasonCode: 'consent_expired', expiresAt: '2026-07-10T09:00:00.000Z' });
    const panel = await app.must(admin, 'consent:forContact', { contactId: c.id });
    const row = panel.types.find((t) => t.type.id === typeId);
    expect(row).toMatchObject({ status: 'subscribed', action: 'resubscribe', expiry: { phase: 'expired', expiresAt: '2026-07-10T09:00:00.000Z' } });
    expect(row?.marketing?.reasonCode).toBe('consent_expired');
    expect((await app.must(admin, 'lifecycle:repermission', {})).rows[0]).toMatchObject({ contactId: c.id, expired: true });

    // Renewing needs the same legal basis and explanation as any subscribe, and starts a new term.
    const noBasis = await app.as(admin)('consent:change', { contactId: c.id, typeId, action: 'resubscribe', explanation: 'x', basedOn: row?.lastEvent?.id ?? '' });
    expect(noBasis.ok).toBe(false);
    const renewed = await subscribe(c.id, 'resubscribe');
    expect(renewed.evidence).toEqual({ renewsExpiredConsent: row?.lastEvent?.id });
    expect(await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId, category: 'marketing' })).toMatchObject({
      allowed: true, expiresAt: '2027-01-10T09:00:00.000Z',
    });
    expect((await app.must(admin, 'lifecycle:repermission', {})).rows).toEqual([]);
  });

  it('a resubscribe is refused while the term still runs', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Ola', phoneInput: '+48 601 234 568' });
    await subscribe(c.id);
    clock = new Date('2026-07-10T08:59:59.999Z');
    const r = await subscribe(c.id, 'resubscribe').then(() => 'ok', (e: Error) => e.message);
    expect(r).toContain('conflict');
  });

  it("the contact's own START starts a new term, and a channel opt-out keeps them off the list", async () => {
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ola = await app.must(admin, 'contacts:create', { name: 'Ola', phoneInput: '+48 601 234 568' });
    await subscribe(jan.id);
    await subscribe(ola.id);
    clock = new Date('2026-08-01T00:00:00.000Z');
    expect((await app.must(admin, 'lifecycle:repermission', {})).rows.map((r) => r.contactName)).toEqual(['Jan', 'Ola']);
    const startAt = Math.floor(Date.parse('2026-07-31T12:00:00.000Z') / 1000);
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.start-jan', 'START', startAt)]) });
    const olaPanel = await app.must(admin, 'consent:forContact', { contactId: ola.id });
    await app.must(admin, 'consent:setOptOutAll', { contactId: ola.id, optedOut: true, explanation: 'Asked by phone', basedOn: olaPanel.optedOutAll.lastEvent?.id ?? '' });
    expect((await app.must(admin, 'lifecycle:repermission', {})).rows).toEqual([]);
    expect(await app.must(admin, 'consent:mayMessage', { contactId: jan.id, typeId, category: 'marketing' })).toMatchObject({
      allowed: true, expiresAt: '2027-01-31T12:00:00.000Z',
    });
  });

  it('types without a term never expire', async () => {
    await app.must(admin, 'types:update', { id: typeId, validForMonths: 0 });
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribe(c.id);
    clock = new Date('2040-01-01T00:00:00.000Z');
    const answer = await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId, category: 'marketing' });
    expect(answer).toMatchObject({ allowed: true, reasonCode: 'ok_subscribed' });
    expect(answer.expiresAt).toBeUndefined();
    expect((await app.must(admin, 'lifecycle:repermission', {})).rows).toEqual([]);
  });
});

describe('rules triggered by "consent expires within N days"', () => {
  it('fire once per contact and term, and again after a renewal ends', async () => {
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ola = await app.must(admin, 'contacts:create', { name: 'Ola', phoneInput: '+48 601 234 568' });
    await subscribe(jan.id);
    clock = new Date('2026-03-01T09:00:00.000Z');
    await subscribe(ola.id);
    const rule = await app.must(admin, 'rules:save', {
      rule: {
        name: 'Ask again before consent ends',
        trigger: { kind: 'consent_expiring', typeId, withinDays: 14 },
        conditions: { kind: 'group', op: 'and', children: [] },
        actions: [{ kind: 'add_tag', tag: 'ask-again' }],
      },
    });
    await app.must(admin, 'rules:setEnabled', { id: rule.id, enabled: true });
    const tags = async (id: string) => (await app.must(admin, 'contacts:get', { id })).tags;

    clock = new Date('2026-06-20T09:00:00.000Z');
    expect(await app.must(admin, 'lifecycle:runExpiryRules', {})).toEqual([]);
    clock = new Date('2026-06-30T09:00:00.000Z');
    const runs = await app.must(admin, 'lifecycle:runExpiryRules', {});
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'consent_expiring', considered: 1, changed: 1 });
    expect(await tags(jan.id)).toEqual(['ask-again']);
    expect(await tags(ola.id)).toEqual([]);
    // The same term does not fire again.
    clock = new Date('2026-07-15T09:00:00.000Z');
    expect(await app.must(admin, 'lifecycle:runExpiryRules', {})).toEqual([]);
    // Ola's term (from 1 March) now ends within 14 days.
    clock = new Date('2026-08-25T09:00:00.000Z');
    const later = await app.must(admin, 'lifecycle:runExpiryRules', {});
    expect(later.map((r) => r.considered)).toEqual([1]);
    expect(await tags(ola.id)).toEqual(['ask-again']);
  });

  it('refuses a rule without a type or with a bad number of days', async () => {
    for (const trigger of [{ kind: 'consent_expiring', typeId: '', withinDays: 14 }, { kind: 'consent_expiring', typeId, withinDays: -1 }, { kind: 'consent_expiring', typeId, withinDays: 400 }]) {
      const r = await app.as(admin)('rules:save', {
        rule: { name: 'Bad', trigger, conditions: { kind: 'group', op: 'and', children: [] }, actions: [{ kind: 'add_tag', tag: 'x' }] },
      } as never);
      expect(r.ok ? '' : r.error.code).toBe('invalid_input');
    }
  });
});
