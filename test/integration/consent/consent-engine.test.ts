import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { ALL_WHATSAPP_TYPE_ID } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, buttonMessage, textMessage, webhook } from '../../helpers/webhook';

let app: TestApp;
let admin: Session;
let marketingId: string;
let transactionalId: string;

const NOW = new Date('2026-01-01T12:00:00Z');

beforeEach(async () => {
  app = await openTestApp({ now: () => NOW });
  admin = await app.signIn('admin');
  marketingId = (await app.must(admin, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski',
  })).id;
  transactionalId = (await app.must(admin, 'types:create', {
    name: 'WhatsApp orders', purpose: 'transactional', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski',
  })).id;
});
afterEach(async () => {
  await app.dispose();
});

const panel = (contactId: string) => app.must(admin, 'consent:forContact', { contactId });
const statusOf = async (contactId: string, typeId: string) => (await panel(contactId)).types.find((t) => t.type.id === typeId)?.status;
const lastEventId = async (contactId: string, typeId: string) => (await panel(contactId)).types.find((t) => t.type.id === typeId)?.lastEvent?.id ?? '';

describe('manual subscribe / unsubscribe (SPEC 5)', () => {
  it('subscribes with legal basis and explanation, then unsubscribes; history shows both', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ev = await app.must(admin, 'consent:change', {
      contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Signed the paper form', basedOn: '',
    });
    expect(ev).toMatchObject({ status: 'subscribed', previousStatus: 'not_specified', source: 'manual', legalBasis: 'consent_with_notice', seq: 1, prevHash: '' });
    expect(ev.actor).toMatchObject({ kind: 'user', name: 'Admin' });
    expect(await statusOf(c.id, marketingId)).toBe('subscribed');
    await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'unsubscribe', explanation: 'Asked by phone', basedOn: ev.id });
    expect(await statusOf(c.id, marketingId)).toBe('unsubscribed');
    const history = await app.must(admin, 'consent:history', { contactId: c.id });
    expect(history.rows.map((r) => [r.status, r.previousStatus, r.typeName])).toEqual([
      ['unsubscribed', 'subscribed', 'WhatsApp marketing'],
      ['subscribed', 'not_specified', 'WhatsApp marketing'],
    ]);
    expect(history.rows[0]?.prevHash).toBe(ev.hash);
  });

  it('refuses without legal basis, explanation or valid number, and records nothing', async () => {
    const good = await app.must(admin, 'contacts:create', { name: 'Good', phoneInput: '+48 601 234 567' });
    const bad = await app.must(admin, 'contacts:create', { name: 'Bad', phoneInput: '123' });
    const none = await app.must(admin, 'contacts:create', { name: 'None' });
    const base = { typeId: marketingId, action: 'subscribe' as const, basedOn: '' };
    const r1 = await app.api.call('consent:change', { ...base, contactId: good.id, explanation: 'x' }, admin);
    const r2 = await app.api.call('consent:change', { ...base, contactId: good.id, legalBasis: 'consent_with_notice', explanation: '   ' }, admin);
    const r3 = await app.api.call('consent:change', { ...base, contactId: bad.id, legalBasis: 'consent_with_notice', explanation: 'x' }, admin);
    const r4 = await app.api.call('consent:change', { ...base, contactId: none.id, legalBasis: 'consent_with_notice', explanation: 'x' }, admin);
    const r5 = await app.api.call('consent:change', { ...base, contactId: good.id, legalBasis: 'because', explanation: 'x' }, admin);
    const r6 = await app.api.call('consent:change', { ...base, contactId: good.id, action: 'unsubscribe', explanation: 'x' }, admin);
    expect([r1, r2, r3, r4, r5, r6].map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'legal_basis_required', 'explanation_required', 'invalid_phone', 'invalid_phone', 'invalid_input', 'conflict',
    ]);
    expect(await app.services.db.consent_events.count().exec()).toBe(0);
  });

  it('a compliance officer cannot change consent; main refuses', async () => {
    const officer = await app.signIn('compliance_officer');
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const r = await app.api.call('consent:change', {
      contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'x', basedOn: '',
    }, officer);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.services.db.consent_events.count().exec()).toBe(0);
  });
});

describe('keywords from WhatsApp (SPEC 2)', () => {
  it('STOP unsubscribes from every type of the number; the same message twice is one event', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const payload = webhook([textMessage('wamid.1', '  stop ')]);
    const first = await app.must(admin, 'messages:ingest', { payload });
    expect(first.counts.opted_out).toBe(1);
    const again = await app.must(admin, 'messages:ingest', { payload });
    expect(again.counts.duplicate).toBe(1);
    expect(await statusOf(c.id, marketingId)).toBe('unsubscribed');
    expect(await statusOf(c.id, transactionalId)).toBe('unsubscribed');
    const events = await app.services.db.consent_events.find().exec();
    expect(events.map((e) => e.id).sort()).toEqual([`msg:wamid.1:${marketingId}`, `msg:wamid.1:${transactionalId}`].sort());
    expect(events[0]?.actor.kind).toBe('contact');
    expect(events[0]?.evidence).toMatchObject({ messageId: 'wamid.1', messageText: '  stop ', keyword: 'STOP' });
  });

  it('START from an unknown number creates the contact and subscribes them to marketing', async () => {
    const report = await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.2', 'Ｓｔａｒｔ', 1_767_000_000, '48512345678')], { from: '48512345678', name: 'Anna' }) });
    expect(report.counts.opted_in).toBe(1);
    const list = await app.must(admin, 'contacts:list', { search: '512345678' });
    expect(list.rows).toHaveLength(1);
    const anna = list.rows[0];
    if (!anna) throw new Error('contact missing');
    expect(anna.name).toBe('Anna');
    expect(await statusOf(anna.id, marketingId)).toBe('subscribed');
    expect(await statusOf(anna.id, transactionalId)).toBe('not_specified');
  });

  it('near misses change nothing; a repeated keyword or a plain request to stop lands in the review queue', async () => {
    await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const report = await app.must(admin, 'messages:ingest', {
      payload: webhook([
        textMessage('m1', 'Can I start receiving messages?', 1_767_000_001),
        textMessage('m2', 'STOP STOP', 1_767_000_002),
        textMessage('m3', 'please stop messaging me', 1_767_000_003),
      ]),
    });
    expect(report.counts).toMatchObject({ no_change: 1, review: 2 });
    expect(await app.services.db.consent_events.count().exec()).toBe(0);
    const items = await app.services.db.review_items.find().exec();
    expect(items.map((i) => [i.kind, i.state])).toEqual([['stop_request', 'open'], ['stop_request', 'open']]);
  });

  it('the marketing opt-out button unsubscribes from marketing only', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await app.must(admin, 'consent:change', { contactId: c.id, typeId: transactionalId, action: 'subscribe', legalBasis: 'performance_of_contract', explanation: 'order', basedOn: '' });
    const report = await app.must(admin, 'messages:ingest', { payload: webhook([buttonMessage('b1', 'STOP_PROMOTIONS', 'Stop promotions')]) });
    expect(report.counts.button_opt_out).toBe(1);
    expect(await statusOf(c.id, marketingId)).toBe('unsubscribed');
    expect(await statusOf(c.id, transactionalId)).toBe('subscribed');
    const ev = await app.services.db.consent_events.findOne(`msg:b1:${marketingId}`).exec();
    expect(ev?.source).toBe('template_button');
  });

  it('the platform marketing stop and resume', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    const pref = (value: string, ts: number) => ({ wa_id: '48601234567', detail: 'User requested to stop marketing messages', category: 'marketing_messages', value, timestamp: ts });
    await app.must(admin, 'messages:ingest', { payload: webhook([], { preferences: [pref('stop', 1_767_000_010)] }) });
    expect(await statusOf(c.id, marketingId)).toBe('unsubscribed');
    await app.must(admin, 'messages:ingest', { payload: webhook([], { preferences: [pref('resume', 1_767_000_020)] }) });
    expect(await statusOf(c.id, marketingId)).toBe('not_specified');
  });

  it('a bad item in a file is reported while the good ones apply', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const good = webhook([textMessage('f1', 'STOP')]);
    const content = [JSON.stringify(good), '{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"id":5}]}}]}]}', 'not json at all'].join('\n');
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'hooks.jsonl', content });
    expect(report.counts.opted_out).toBe(1);
    expect(report.errors.length).toBeGreaterThanOrEqual(2);
    expect(await statusOf(c.id, marketingId)).toBe('unsubscribed');
  });
});

describe('own opt-out protection and the ledger', () => {
  it('resubscribing after the contact\'s own STOP needs the explicit confirmation', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('s1', 'STOP')]) });
    const seen = await lastEventId(c.id, marketingId);
    const refused = await app.api.call('consent:change', { contactId: c.id, typeId: marketingId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'Called us', basedOn: seen }, admin);
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    const ok = await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'Called us', basedOn: seen, confirmOwnOptOut: true });
    expect(ok.evidence).toMatchObject({ confirmedNewConsentAfterOwnOptOut: true });
    expect(await statusOf(c.id, marketingId)).toBe('subscribed');
  });

  it('a change based on a stale view is refused (the contact replied STOP meanwhile)', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const sub = await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('s2', 'STOP')]) });
    const r = await app.api.call('consent:change', { contactId: c.id, typeId: marketingId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'x', basedOn: sub.id, confirmOwnOptOut: true }, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('an unseen concurrent resubscribe arriving from elsewhere loses to the own opt-out and goes to review', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const sub = await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('s3', 'STOP', Math.floor(NOW.getTime() / 1000) - 60)]) });
    // Another device, offline, resubscribed based on the old subscribe it had seen.
    await app.services.db.consent_events.insert({
      ...sub, id: 'remote-1', deviceId: 'dev-remote', seq: 1, prevHash: '', hash: 'h',
      status: 'unsubscribed', source: 'manual', explanation: 'remote unsubscribe', basedOn: sub.id, occurredAt: '2026-01-01T11:58:00.000Z',
    });
    await app.services.db.consent_events.insert({
      ...sub, id: 'remote-2', deviceId: 'dev-remote', seq: 2, prevHash: 'h', hash: 'h2',
      status: 'subscribed', explanation: 'remote resubscribe', basedOn: 'remote-1', occurredAt: '2026-01-01T11:59:30.000Z',
    });
    await app.services.ledger.settled();
    expect(await statusOf(c.id, marketingId)).toBe('unsubscribed');
    const items = await app.services.db.review_items.find({ selector: { kind: 'concurrent_change' } }).exec();
    // The local subscribe was recorded after the STOP had been sent (but before it
    // arrived), so it did not see it either: both lose, both are queued for review.
    expect(items.map((i) => i.evidence.overriddenEventId).sort()).toEqual([sub.id, 'remote-2'].sort());
  });

  it('rebuilding the projection gives exactly the incremental state', async () => {
    const contacts = [];
    for (let i = 0; i < 12; i++) contacts.push(await app.must(admin, 'contacts:create', { name: `C${i}`, phoneInput: `+48 601 234 5${String(i).padStart(2, '0')}` }));
    for (const [i, c] of contacts.entries()) {
      const sub = await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'x', basedOn: '' });
      if (i % 3 === 0) await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'unsubscribe', explanation: 'x', basedOn: sub.id });
      if (i % 4 === 0) await app.must(admin, 'consent:setOptOutAll', { contactId: c.id, optedOut: true, explanation: 'asked', basedOn: '' });
    }
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('r1', 'STOP', 1_767_000_000, '48601234501')]) });
    const snapshot = async () => (await app.services.db.consent_state.find().exec()).map((d) => {
      const { updatedAt: _u, ...rest } = d.toMutableJSON();
      return rest;
    }).sort((a, b) => a.id.localeCompare(b.id));
    const incremental = await snapshot();
    expect(incremental.length).toBeGreaterThan(12);
    await app.services.db.consent_state.bulkRemove(incremental.map((r) => r.id));
    await app.services.ledger.rebuildProjection();
    expect(await snapshot()).toEqual(incremental);
  });

  it('the channel-wide flag blocks marketing; may-I-message always says why', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const m0 = await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId: marketingId, category: 'marketing' });
    expect(m0).toMatchObject({ allowed: false, reasonCode: 'not_subscribed' });
    await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    expect(await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId: marketingId, category: 'marketing' })).toMatchObject({ allowed: true });
    await app.must(admin, 'consent:setOptOutAll', { contactId: c.id, optedOut: true, explanation: 'asked', basedOn: '' });
    const m2 = await app.must(admin, 'consent:mayMessage', { contactId: c.id, typeId: marketingId, category: 'marketing' });
    expect(m2).toMatchObject({ allowed: false, reasonCode: 'channel_opt_out' });
    expect((await panel(c.id)).optedOutAll.status).toBe('unsubscribed');
    expect((await app.services.ledger.state(c.id, ALL_WHATSAPP_TYPE_ID))?.ownOptOut).toBe(false);
    expect(await app.must(admin, 'consent:mayMessage', { contactId: c.id, category: 'service' })).toMatchObject({ allowed: false });
  });

  it('the device chain continues across a restart (seq and prevHash)', async () => {
    const c = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const e1 = await app.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await app.close();
    const reopened = await openTestApp({ dataDir: app.dataDir, now: () => NOW });
    try {
      const e2 = await reopened.must(admin, 'consent:change', { contactId: c.id, typeId: marketingId, action: 'unsubscribe', explanation: 'x', basedOn: e1.id });
      expect([e2.seq, e2.prevHash, e2.deviceId]).toEqual([2, e1.hash, e1.deviceId]);
    } finally {
      await reopened.close();
    }
    app = await openTestApp();
  });
});

describe('keyword lists', () => {
  it('edited lists apply at once; lists that arrive from another device replace the cached ones', async () => {
    const before = await app.must(admin, 'keywords:test', { message: 'HALT' });
    expect(before.kind).toBe('none');
    const { table } = await app.must(admin, 'keywords:get', {});
    await app.must(admin, 'keywords:set', { table: { ...table, en: { ...table.en, optOut: [...table.en.optOut, 'HALT'] } } });
    expect((await app.must(admin, 'keywords:test', { message: 'halt' })).kind).toBe('opt_out');

    // As sync delivers it: the settings document changes underneath and the arrival is announced.
    await app.services.db.settings.upsert({ id: 'keywords', value: { v: { ...table, en: { ...table.en, optIn: [...table.en.optIn, 'GO'] } } }, updatedAt: new Date().toISOString() });
    app.services.events.emit({ type: 'settings:changed', keys: ['keywords'] });
    expect((await app.must(admin, 'keywords:test', { message: 'go' })).kind).toBe('opt_in');
    expect((await app.must(admin, 'keywords:test', { message: 'halt' })).kind).toBe('none');
  });

  it('a table with a keyword in both lists is refused and nothing changes', async () => {
    const { table } = await app.must(admin, 'keywords:get', {});
    const r = await app.api.call('keywords:set', { table: { ...table, en: { ...table.en, optIn: [...table.en.optIn, 'STOP'] } } }, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await app.must(admin, 'keywords:get', {})).isDefault).toBe(true);
  });
});
