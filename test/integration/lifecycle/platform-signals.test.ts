import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { parsePlatformSignals } from '../../../src/shared/consent/platform-signals';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';

// Number and identity changes and send error 131050, in Meta Cloud API payload shapes.
let app: TestApp;
let admin: Session;
let marketingId: string;
let otherMarketingId: string;
let transactionalId: string;

// Subscriptions are recorded at 10:00, the platform's notices are dated 11:00 and arrive at 12:00.
const T0 = Date.parse('2026-01-01T11:00:00Z') / 1000;
let clock = new Date('2026-01-01T10:00:00Z');

beforeEach(async () => {
  clock = new Date('2026-01-01T10:00:00Z');
  app = await openTestApp({ now: () => clock });
  admin = await app.signIn('admin');
  const base = { businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' };
  marketingId = (await app.must(admin, 'types:create', { ...base, name: 'Marketing', purpose: 'marketing' })).id;
  transactionalId = (await app.must(admin, 'types:create', { ...base, name: 'Orders', purpose: 'transactional' })).id;
  otherMarketingId = (await app.must(admin, 'types:create', { name: 'Outlet', purpose: 'marketing', businessNumber: '+48 22 765 43 21', phoneNumberId: '2002', businessName: 'Outlet' })).id;
});
afterEach(async () => {
  await app.dispose();
});

const envelope = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: BUSINESS.display, phone_number_id: BUSINESS.phoneNumberId }, ...value } }] }],
});

// As documented: no contacts array; `from` is the old number, `system.wa_id` the new one.
const numberChanged = (id: string, from: string, to: string, timestamp = T0) =>
  envelope({ messages: [{ from, id, timestamp: String(timestamp), type: 'system', system: { body: `User Jan changed from ${from} to ${to}`, wa_id: to, type: 'user_changed_number' } }] });

const failedStatus = (id: string, recipient: string, code: number, timestamp = T0) =>
  envelope({
    statuses: [{
      id, status: 'failed', timestamp: String(timestamp), recipient_id: recipient,
      errors: [{ code, title: 'This message was not delivered to maintain healthy ecosystem engagement.', error_data: { details: 'The user has chosen to stop receiving marketing messages.' } }],
    }],
  });

const withIdentity = (messages: Record<string, unknown>[], waId: string, hash: string) =>
  envelope({ contacts: [{ profile: { name: 'Jan' }, wa_id: waId, identity_key_hash: hash }], messages });

const subscribeAll = async (contactId: string) => {
  for (const typeId of [marketingId, otherMarketingId, transactionalId]) {
    await app.must(admin, 'consent:change', { contactId, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Form', basedOn: '' });
  }
  clock = new Date('2026-01-01T12:00:00Z');
};
const statuses = async (contactId: string) => {
  const panel = await app.must(admin, 'consent:forContact', { contactId });
  return Object.fromEntries(panel.types.map((t) => [t.type.name, t.status]));
};

describe('number changes hands (user_changed_number)', () => {
  it('suspends every subscribed marketing type with the notice as evidence; nothing moves to the new number', async () => {
    const old = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const other = await app.must(admin, 'contacts:create', { name: 'Ewa', phoneInput: '+48 601 999 888' });
    await subscribeAll(old.id);
    await app.must(admin, 'messages:ingest', { payload: numberChanged('wamid.sys1', '48601234567', '48601999888') });
    expect(await statuses(old.id)).toEqual({ Marketing: 'unsubscribed', Outlet: 'unsubscribed', Orders: 'subscribed' });
    expect(await statuses(other.id)).toEqual({ Marketing: 'not_specified', Outlet: 'not_specified', Orders: 'not_specified' });
    const events = (await app.must(admin, 'consent:history', { contactId: old.id, source: 'platform_signal' })).rows;
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor: { kind: 'system', name: 'WhatsApp' }, status: 'unsubscribed', source: 'platform_signal' });
    expect(events[0]?.evidence).toMatchObject({ signal: 'user_changed_number', messageId: 'wamid.sys1', newNumber: '+48601999888', suspendedUntilReconfirmed: true });
    expect(String(events[0]?.evidence.systemBody)).toContain('changed from 48601234567 to 48601999888');
    const may = await app.must(admin, 'consent:mayMessage', { contactId: old.id, typeId: marketingId, category: 'marketing' });
    expect(may.allowed).toBe(false);
    // The same webhook again, or on another device: no second event.
    await app.must(admin, 'messages:ingest', { payload: numberChanged('wamid.sys1', '48601234567', '48601999888') });
    expect((await app.must(admin, 'consent:history', { contactId: old.id, source: 'platform_signal' })).total).toBe(2);
  });

  it('is not a self-opt-out: a resubscribe needs no confirmation, and the new owner’s START re-confirms', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribeAll(c.id);
    await app.must(admin, 'messages:ingest', { payload: numberChanged('wamid.sys2', '48601234567', '48600000001') });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.start', 'START', T0 + 60)]) });
    expect((await statuses(c.id)).Marketing).toBe('subscribed');
    const panel = await app.must(admin, 'consent:forContact', { contactId: c.id });
    const outlet = panel.types.find((t) => t.type.id === otherMarketingId);
    expect(outlet?.ownOptOut).toBe(false);
    await app.must(admin, 'consent:change', { contactId: c.id, typeId: otherMarketingId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'Confirmed by phone', basedOn: outlet?.lastEvent?.id ?? '' });
    expect((await statuses(c.id)).Outlet).toBe('subscribed');
  });

  it('an unknown number, a contact not subscribed, and malformed notices change nothing', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await app.must(admin, 'messages:ingest', { payload: numberChanged('wamid.sys3', '48601234567', '48600000001') });
    await app.must(admin, 'messages:ingest', { payload: numberChanged('wamid.sys4', '48700000000', '48600000001') });
    expect((await app.must(admin, 'consent:history', { contactId: c.id })).total).toBe(0);
    const hostile = [
      envelope({ messages: [{ from: '48601234567', id: 'x1', timestamp: 'soon', type: 'system', system: { type: 'user_changed_number', wa_id: '1' } }] }),
      envelope({ messages: [{ from: '48601234567', id: 'x2', timestamp: '1', type: 'system', system: 'user_changed_number' }] }),
      envelope({ messages: [{ from: 'not-a-number', id: 'x3', timestamp: '1', type: 'system', system: { type: 'user_changed_number' } }] }),
      envelope({ statuses: [{ id: 's', status: 'failed', timestamp: '1', recipient_id: 'abc', errors: [{ code: 131050 }] }] }),
      envelope({ statuses: 'nope' }),
      { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: null }] }] },
    ];
    const parsed = hostile.map((p) => parsePlatformSignals(p));
    expect(parsed.flatMap((p) => p.signals)).toEqual([]);
    expect(parsed[0]?.errors[0]?.path).toBe('entry[0].changes[0].value.messages[0].timestamp');
    expect(parsed[3]?.errors[0]?.path).toBe('entry[0].changes[0].value.statuses[0].recipient_id');
    await subscribeAll(c.id);
    for (const payload of hostile) await app.as(admin)('messages:ingest', { payload });
    expect((await statuses(c.id)).Marketing).toBe('subscribed');
  });
});

describe('identity changes', () => {
  it('a new identity_key_hash suspends marketing; the first hash seen and the same hash again do not', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribeAll(c.id);
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.h1', 'Hello', T0)], '48601234567', 'hashA') });
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.h2', 'Hello again', T0 + 10)], '48601234567', 'hashA') });
    expect((await statuses(c.id)).Marketing).toBe('subscribed');
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.h3', 'Who is this?', T0 + 20)], '48601234567', 'hashB') });
    expect(await statuses(c.id)).toEqual({ Marketing: 'unsubscribed', Outlet: 'unsubscribed', Orders: 'subscribed' });
    const ev = (await app.must(admin, 'consent:history', { contactId: c.id, source: 'platform_signal' })).rows[0];
    expect(ev?.evidence).toMatchObject({ signal: 'identity_key_hash_changed', previousIdentityHash: 'hashA', identityHash: 'hashB', messageId: 'wamid.h3' });
  });

  it("a START from the number's new owner in the same payload as the new identity stands", async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribeAll(c.id);
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.i1', 'Hi', T0)], '48601234567', 'hashA') });
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.i2', 'START', T0 + 5)], '48601234567', 'hashC') });
    expect((await statuses(c.id)).Marketing).toBe('subscribed');
    expect((await statuses(c.id)).Outlet).toBe('unsubscribed');
  });

  it('the system message customer_identity_changed suspends marketing too', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribeAll(c.id);
    await app.must(admin, 'messages:ingest', {
      payload: envelope({ messages: [{ from: '48601234567', id: 'wamid.idc', timestamp: String(T0), type: 'system', system: { body: 'User’s security code changed', customer: '48601234567', identity: 'hashZ', type: 'customer_identity_changed' } }] }),
    });
    expect((await statuses(c.id)).Marketing).toBe('unsubscribed');
  });
});

describe('send error 131050', () => {
  it("is the platform's marketing stop on the sending number's marketing type, once", async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribeAll(c.id);
    await app.must(admin, 'messages:ingest', { payload: failedStatus('wamid.out1', '48601234567', 131050) });
    await app.must(admin, 'messages:ingest', { payload: failedStatus('wamid.out1', '48601234567', 131050) });
    expect(await statuses(c.id)).toEqual({ Marketing: 'unsubscribed', Outlet: 'subscribed', Orders: 'subscribed' });
    const rows = (await app.must(admin, 'consent:history', { contactId: c.id, source: 'platform_preference' })).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: { kind: 'contact' }, evidence: { errorCode: 131050, statusId: 'wamid.out1' } });
    const panel = await app.must(admin, 'consent:forContact', { contactId: c.id });
    expect(panel.types.find((t) => t.type.id === marketingId)?.ownOptOut).toBe(true);
  });

  it('other send errors and delivered statuses change nothing', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribeAll(c.id);
    await app.must(admin, 'messages:ingest', { payload: failedStatus('wamid.out2', '48601234567', 131049) });
    await app.must(admin, 'messages:ingest', { payload: envelope({ statuses: [{ id: 'wamid.out3', status: 'delivered', timestamp: String(T0), recipient_id: '48601234567' }] }) });
    expect((await statuses(c.id)).Marketing).toBe('subscribed');
  });
});
