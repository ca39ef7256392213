import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { ALL_WHATSAPP_TYPE_ID, type ConsentStatus } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';

// The compliance overview against the real store: counts by current status per type, trends
// by week and month, the open review backlog and the last integrity check.
let app: TestApp;
let admin: Session;
const NOW = new Date('2026-12-09T10:00:00Z');
beforeEach(async () => {
  app = await openTestApp({ now: () => NOW });
  admin = await app.signIn('admin');
});
afterEach(async () => app.close());

const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

async function record(contactId: string, typeId: string, status: ConsentStatus, occurredAt: string) {
  await app.services.ledger.append([
    {
      contactId, typeId, status, source: 'manual', legalBasis: status === 'subscribed' ? 'consent_with_notice' : '', explanation: 'seed',
      actor: { kind: 'user', id: admin.userId ?? '', name: 'Admin' }, evidence: {}, occurredAt,
    },
  ]);
}

it('counts statuses per type from the index, adds up opt-ins and opt-outs per week and month, and reports the backlog and the last check', async () => {
  const base = { businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' };
  const marketing = await app.must(admin, 'types:create', { ...base, name: 'Marketing', purpose: 'marketing' });
  const service = await app.must(admin, 'types:create', { ...base, name: 'Service', purpose: 'transactional' });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await app.must(admin, 'contacts:create', { name: `Contact ${i}`, phoneInput: `+48 601 000 00${i}` })).id);
  const [a, b, c, d] = ids as [string, string, string, string];
  await record(a, marketing.id, 'subscribed', daysAgo(1)); // this week (Mon 7 Dec)
  await record(b, marketing.id, 'subscribed', daysAgo(9)); // week of 30 Nov
  await record(c, marketing.id, 'subscribed', daysAgo(40)); // October
  await record(c, marketing.id, 'unsubscribed', daysAgo(2)); // this week
  await record(d, service.id, 'subscribed', daysAgo(3)); // Sunday 6 Dec: the week of 30 Nov, the month of December
  await record(d, ALL_WHATSAPP_TYPE_ID, 'unsubscribed', daysAgo(1));
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.ov', 'please stop messaging me', Math.floor(NOW.getTime() / 1000) - 60, '48601000005')], { from: '48601000005' }) });

  const officer = await app.signIn('compliance_officer', 'Olga Officer');
  const before = await app.must(officer, 'overview:get', {});
  expect(before.lastIntegrityCheck).toBeNull();
  await app.must(officer, 'history:verify', {});

  const o = await app.must(officer, 'overview:get', { weeks: 3, months: 3 });
  expect(o.contacts).toBe(6);
  expect(o.optedOutAll).toBe(1);
  expect(o.types.map((t) => [t.typeName, t.businessNumber, t.counts])).toEqual([
    ['Marketing', '+48221234567', { subscribed: 2, unsubscribed: 1, not_specified: 3 }],
    ['Service', '+48221234567', { subscribed: 1, unsubscribed: 0, not_specified: 5 }],
  ]);
  expect(o.trend.weeks).toEqual([
    { start: '2026-11-23', optIns: 0, optOuts: 0 },
    { start: '2026-11-30', optIns: 2, optOuts: 0 },
    { start: '2026-12-07', optIns: 1, optOuts: 2 },
  ]);
  expect(o.trend.months).toEqual([
    { start: '2026-10-01', optIns: 1, optOuts: 0 },
    { start: '2026-11-01', optIns: 1, optOuts: 0 },
    { start: '2026-12-01', optIns: 2, optOuts: 2 },
  ]);
  expect(o.review.open).toBe(1);
  expect(o.review.oldestOpenAt).toBe(NOW.toISOString());
  expect(o.lastIntegrityCheck).toMatchObject({ ok: true, by: 'Olga Officer', events: 6 });
});

it('refuses bad input and anyone not signed in, and changes nothing', async () => {
  const officer = await app.signIn('compliance_officer');
  const audited = (await app.must(officer, 'audit:list', { offset: 0, limit: 10 })).total;
  for (const input of [{ weeks: 0 }, { weeks: 1000 }, { months: -1 }, { weeks: 1.5 }, { extra: true }, { weeks: '12' }]) {
    const r = await app.as(officer)('overview:get', input as never);
    expect(r.ok ? 'ok' : r.error.code).toBe('invalid_input');
  }
  const anonymous = await app.as({ userId: null })('overview:get', {});
  expect(anonymous.ok ? 'ok' : anonymous.error.code).toBe('not_signed_in');
  expect((await app.must(officer, 'audit:list', { offset: 0, limit: 10 })).total).toBe(audited);
});
