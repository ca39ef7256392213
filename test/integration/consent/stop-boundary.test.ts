// The classes of issue 18 beyond the text rule, through the real engine: wa_id
// equivalence, invalid wa_ids, archived and unknown numbers, time rules, staff changes
// that could not take effect, invisible explanations, attribution, large files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';

let app: TestApp;
let admin: Session;
let marketingId: string;
let clock = new Date('2026-01-01T12:00:00Z');
const NUMBER = { businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' };
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

beforeEach(async () => {
  clock = new Date('2026-01-01T12:00:00Z');
  app = await openTestApp({ now: () => clock });
  admin = await app.signIn('admin');
  marketingId = (await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', ...NUMBER })).id;
});
afterEach(async () => {
  await app.dispose();
});

const statusOf = async (contactId: string, typeId = marketingId) =>
  (await app.must(admin, 'consent:forContact', { contactId })).types.find((t) => t.type.id === typeId)?.status;
const contactCount = () => app.services.db.contacts.count().exec();
const subscribe = async (contactId: string) =>
  app.must(admin, 'consent:change', { contactId, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });

describe('wa_id equivalence finds the existing contact (never a duplicate)', () => {
  it.each([
    ['Mexico +52 1', '+52 55 1234 5678', '5215512345678'],
    ['Mexico without the 1', '+52 55 1234 5678', '525512345678'],
    ['Brazil without the ninth digit', '+55 11 98765 4321', '551187654321'],
    ['Brazil with the ninth digit', '+55 11 98765 4321', '5511987654321'],
    ['Argentina +54 9, stored without the 9', '+54 11 2345 6789', '5491123456789'],
    ['Argentina +54 9, stored with it', '+54 9 11 2345 6789', '5491123456789'],
  ])('%s', async (_label, stored, waId) => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Ana', phoneInput: stored });
    expect(contact.phoneValid).toBe(true);
    await subscribe(contact.id);
    const before = await contactCount();
    const report = await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.eq1', 'STOP', 1_767_000_000, waId)], { from: waId }) });
    expect(report.items[0]).toMatchObject({ outcome: 'opted_out', contactId: contact.id });
    expect(await contactCount()).toBe(before);
    expect(await statusOf(contact.id)).toBe('unsubscribed');
  });

  it('a new sender under a Mexican +52 1 id is stored once, in its valid form, and found again under the other spelling', async () => {
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.mx1', 'START', 1_767_000_000, '5215512345678')], { from: '5215512345678' }) });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.mx2', 'STOP', 1_767_000_100, '525512345678')], { from: '525512345678' }) });
    const contacts = await app.services.db.contacts.find().exec();
    expect(contacts.map((c) => [c.waNumber, c.phoneValid])).toEqual([['+525512345678', true]]);
    expect(await statusOf(contacts[0]?.id ?? '')).toBe('unsubscribed');
  });
});

describe('a wa_id that is not a valid number', () => {
  it('keeps the message, raises a review item, creates no contact, and redelivery changes nothing', async () => {
    const payload = webhook([textMessage('wamid.bad1', 'STOP', 1_767_000_000, '4860123456')], { from: '4860123456' });
    for (let round = 0; round < 3; round++) {
      const report = await app.must(admin, 'messages:ingest', { payload });
      expect(report.items[0]?.outcome).toBe(round === 0 ? 'unknown_contact' : 'duplicate');
    }
    expect(await contactCount()).toBe(0);
    expect(await app.services.db.consent_events.count().exec()).toBe(0);
    const kept = await app.services.db.inbound_messages.findOne('msg:wamid.bad1').exec();
    expect(kept?.outcome).toBe('unknown_contact');
    const reviews = await app.services.db.review_items.find().exec();
    expect(reviews.map((r) => [r.id, r.kind])).toEqual([['review:msg:wamid.bad1', 'unmatched_message']]);
  });
});

describe('archived and unknown business numbers', () => {
  it('a STOP to a number whose only type is archived is honoured and survives un-archiving', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await subscribe(contact.id);
    await app.must(admin, 'types:update', { id: marketingId, archived: true });
    const report = await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.arch1', 'STOP')]) });
    expect(report.items[0]?.outcome).toBe('opted_out');
    await app.must(admin, 'types:update', { id: marketingId, archived: false });
    expect(await statusOf(contact.id)).toBe('unsubscribed');
  });

  it('a START to a number whose only type is archived changes nothing and says why', async () => {
    await app.must(admin, 'types:update', { id: marketingId, archived: true });
    const report = await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.arch2', 'START')]) });
    expect(report.items[0]?.outcome).toBe('no_change');
    expect(report.items[0]?.detail).toContain('archived');
    expect(await app.services.db.consent_events.count().exec()).toBe(0);
  });

  it('a STOP to a number with no type is kept and reviewed, and honoured when reprocessed after set-up', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const other = { ...webhook([textMessage('wamid.unk1', 'STOP')]) };
    const change = other.entry[0]?.changes[0];
    if (!change) throw new Error('fixture');
    change.value.metadata = { display_phone_number: '48227654321', phone_number_id: '999000111' };
    const first = await app.must(admin, 'messages:ingest', { payload: other });
    expect(first.items[0]).toMatchObject({ outcome: 'unknown_number', contactId: contact.id });
    expect(await app.services.db.inbound_messages.findOne('msg:wamid.unk1').exec()).not.toBeNull();
    expect((await app.services.db.review_items.find().exec()).map((r) => r.kind)).toEqual(['stop_request']);
    const otherType = (await app.must(admin, 'types:create', { name: 'Second shop', purpose: 'marketing', businessNumber: '+48227654321', phoneNumberId: '999000111', businessName: 'Shop 2' })).id;
    const again = await app.must(admin, 'messages:reprocessKept', {});
    expect(again.items.map((i) => i.outcome)).toEqual(['opted_out']);
    expect(await statusOf(contact.id, otherType)).toBe('unsubscribed');
    expect((await app.must(admin, 'messages:reprocessKept', {})).itemCount).toBe(0);
    expect((await app.must(admin, 'messages:ingest', { payload: other })).items[0]?.outcome).toBe('duplicate');
  });
});

describe('time rules', () => {
  it('a START dated two hours ahead does not beat a real STOP sent now; it is flagged', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.future', 'START', unix(clock) + 7200)]) });
    clock = new Date(clock.getTime() + 60_000);
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.now', 'STOP', unix(clock))]) });
    expect(await statusOf(contact.id)).toBe('unsubscribed');
    const start = await app.services.db.consent_events.findOne(`msg:wamid.future:${marketingId}`).exec();
    expect(start?.occurredAt).toBe(new Date((unix(clock) - 60 + 7200) * 1000).toISOString());
    expect(start?.evidence.futureDated).toBe(true);
  });

  it.each([['START first by id', 'a-start', 'b-stop'], ['STOP first by id', 'b-start', 'a-stop']])(
    'a START and a STOP in the same second end opted out (%s)',
    async (_label, startId, stopId) => {
      const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
      await app.must(admin, 'messages:ingest', { payload: webhook([textMessage(stopId, 'STOP', 1_767_000_000), textMessage(startId, 'START', 1_767_000_000)]) });
      expect(await statusOf(contact.id)).toBe('unsubscribed');
    },
  );

  it('a resubscribe from a device whose clock is behind the STOP is refused with a clear error and records nothing', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.stop', 'STOP', unix(clock))]) });
    const panel = await app.must(admin, 'consent:forContact', { contactId: contact.id });
    const last = panel.types.find((t) => t.type.id === marketingId)?.lastEvent?.id ?? '';
    const events = await app.services.db.consent_events.count().exec();
    clock = new Date(clock.getTime() - 3_600_000);
    const result = await app.api.call('consent:change', {
      contactId: contact.id, typeId: marketingId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'new form', basedOn: last, confirmOwnOptOut: true,
    }, admin);
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(result)).toContain('clock');
    expect(await app.services.db.consent_events.count().exec()).toBe(events);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    await app.must(admin, 'consent:change', {
      contactId: contact.id, typeId: marketingId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'new form', basedOn: last, confirmOwnOptOut: true,
    });
    expect(await statusOf(contact.id)).toBe('subscribed');
  });
});

describe('required text and attribution', () => {
  it.each(['\u200b', ' \u200b\u2060 ', '\u200e\u200f', '\ufeff', '\u3000\u00a0'])('an explanation of only invisible characters %j is refused', async (explanation) => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const result = await app.api.call('consent:change', { contactId: contact.id, typeId: marketingId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation, basedOn: '' }, admin);
    expect(result).toMatchObject({ ok: false, error: { code: 'explanation_required' } });
    const all = await app.api.call('consent:setOptOutAll', { contactId: contact.id, optedOut: true, explanation, basedOn: '', confirmOwnOptOut: false }, admin);
    expect(all).toMatchObject({ ok: false, error: { code: 'explanation_required' } });
    expect(await app.services.db.consent_events.count().exec()).toBe(0);
  });

  it('a file import records the signed-in user on its events and in the audit log', async () => {
    const content = `${JSON.stringify(webhook([textMessage('wamid.f1', 'STOP')]))}\n`;
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'hooks.jsonl', content });
    expect(report.items[0]?.outcome).toBe('opted_out');
    const event = await app.services.db.consent_events.findOne(`msg:wamid.f1:${marketingId}`).exec();
    expect(event?.evidence).toMatchObject({ importedById: admin.userId, importedByName: 'Admin' });
    const audit = await app.must(admin, 'audit:list', { action: 'messages.ingest_file' });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actorId: admin.userId });
    expect(JSON.stringify(audit.entries[0])).toContain('hooks.jsonl');
  });
});

describe('large inbound files', () => {
  it('junk JSON lines give a capped report: counts plus the first 1,000 problems', async () => {
    const content = Array.from({ length: 5000 }, (_, i) => `{junk ${i}`).join('\n');
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'junk.jsonl', content });
    expect(report.errors).toHaveLength(1000);
    expect(report.errorCount).toBe(5000);
    expect(report.errors[999]?.path).toBe('line 1000');
    expect(JSON.stringify(report).length).toBeLessThan(200_000);
  });

  it('a file over the size limit is refused with a clear error and changes nothing', async () => {
    const result = await app.api.call('messages:ingestFile', { fileName: 'big.jsonl', content: 'x'.repeat(20_000_001) }, admin);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(result)).toContain('20 MB');
  });

  it('3,000 messages in one JSON-lines file are all processed, in slices, with every item counted', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify(webhook([textMessage(`wamid.bulk.${i}`, i % 3 === 0 ? 'STOP' : 'hello', 1_767_000_000 + i, `48601${String(200_000 + i).padStart(6, '0')}`)], { from: `48601${String(200_000 + i).padStart(6, '0')}` })));
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'bulk.jsonl', content: lines.join('\n') });
    expect(report.itemCount).toBe(3000);
    expect(report.items).toHaveLength(1000);
    expect(report.counts).toMatchObject({ opted_out: 1000, no_change: 2000 });
    expect(await app.services.db.consent_events.count().exec()).toBe(1000);
  });
});
