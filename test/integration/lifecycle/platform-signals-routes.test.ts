import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { identityKey } from '../../../src/main/lifecycle/platform-signal-service';
import { failedStatus, numberChanged, signalEnvelope, withIdentity } from '../../helpers/platform-signal-payloads';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// Platform signals reach the ledger through the ingestion, whichever way the payload comes
// in: one payload (messages:ingest) or a file (messages:ingestFile). The relay inbox is
// tested with a real relay in test/integration/relay/relay-platform-signals.test.ts.
let app: TestApp;
let admin: Session;
let typeId: string;
let clock = new Date('2026-01-01T12:00:00Z');
const at = (iso: string) => Date.parse(iso) / 1000;
const JAN = '48601234567';

beforeEach(async () => {
  clock = new Date('2026-01-01T12:00:00Z');
  ({ app, admin, typeId } = await openAppWithMarketing({ now: () => clock }));
});
afterEach(async () => {
  await app.dispose();
});

const jan = () => app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: `+${JAN}` });
const marketing = async (contactId: string) => (await app.must(admin, 'consent:forContact', { contactId })).types.find((t) => t.type.id === typeId)?.status;
const signalEvents = async (contactId: string) => (await app.must(admin, 'consent:history', { contactId, source: 'platform_signal' })).rows;
const allEvents = async () => (await app.services.db.consent_events.find().exec()).length;
const contactCount = async () => (await app.services.db.contacts.find().exec()).length;
const inboundCount = async () => (await app.services.db.inbound_messages.find().exec()).length;
// Subscribed at 10:00, before the platform's notices (11:00), which arrive at 12:00.
const subscribe = async (contactId: string) => {
  clock = new Date('2026-01-01T10:00:00Z');
  await app.must(admin, 'consent:change', { contactId, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Form', basedOn: '' });
  clock = new Date('2026-01-01T12:00:00Z');
};
const lines = (...payloads: unknown[]) => payloads.map((p) => JSON.stringify(p)).join('\n');

describe('file ingestion applies platform signals', () => {
  it('in time order among the file’s messages: an opt-in, then the number changing hands, ends suspended; once', async () => {
    const c = await jan();
    const file = lines(
      numberChanged('wamid.NC1', JAN, '48600000001', at('2026-01-01T11:00:00Z')),
      webhook([textMessage('wamid.S1', 'START', at('2026-01-01T10:00:00Z'))]),
    );
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'day.jsonl', content: file });
    expect(report.counts.opted_in).toBe(1);
    expect(report.signals).toHaveLength(1);
    expect(report.signals[0]).toMatchObject({ kind: 'number_changed', id: 'wamid.NC1', number: `+${JAN}`, contactId: c.id, eventIds: [`signal:wamid.NC1:${typeId}`] });
    expect(await marketing(c.id)).toBe('unsubscribed');
    const [suspension] = await signalEvents(c.id);
    expect(suspension?.evidence).toMatchObject({ signal: 'user_changed_number', newNumber: '+48600000001', suspendedUntilReconfirmed: true });
    // The system message is a signal, not an inbound message.
    expect(await inboundCount()).toBe(1);

    // The same file again: nothing new.
    const events = await allEvents();
    const again = await app.must(admin, 'messages:ingestFile', { fileName: 'day.jsonl', content: file });
    expect(again.counts.duplicate).toBe(1);
    expect(again.signals[0]?.eventIds).toEqual([]);
    expect(await allEvents()).toBe(events);
    expect(await marketing(c.id)).toBe('unsubscribed');
  });

  it('a JSON array with the new owner’s START at the notice’s time: the START stands', async () => {
    const c = await jan();
    await subscribe(c.id);
    const notice = at('2026-01-01T11:00:00Z');
    const file = JSON.stringify([webhook([textMessage('wamid.S2', 'START', notice)]), numberChanged('wamid.NC2', JAN, '48600000002', notice)]);
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'day.json', content: file });
    expect(report.signals[0]?.eventIds).toEqual([`signal:wamid.NC2:${typeId}`]);
    expect(await marketing(c.id)).toBe('subscribed');
  });

  it('a 131050 failed send in a file is the platform’s marketing stop', async () => {
    const c = await jan();
    await subscribe(c.id);
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'statuses.jsonl', content: lines(failedStatus('wamid.OUT1', JAN, 131050, at('2026-01-01T11:00:00Z'))) });
    expect(report.itemCount).toBe(0);
    expect(report.signals[0]).toMatchObject({ kind: 'marketing_stopped', id: 'wamid.OUT1', eventIds: [`status:wamid.OUT1:${typeId}`] });
    expect(await marketing(c.id)).toBe('unsubscribed');
  });

  it('a signal for a number no contact has is reported, and no contact is made', async () => {
    const before = await contactCount();
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'x.jsonl', content: lines(numberChanged('wamid.NC3', '48700000000', '48600000003', at('2026-01-01T11:00:00Z'))) });
    expect(report.signals).toEqual([expect.objectContaining({ kind: 'number_changed', number: '+48700000000', contactId: '', eventIds: [] })]);
    expect(report.signals[0]?.detail).toContain('no contact was made');
    expect(await contactCount()).toBe(before);
    expect(await inboundCount()).toBe(0);
  });

  it('errors name the file line', async () => {
    const hostile = signalEnvelope({ messages: [{ from: JAN, id: 'x', timestamp: '1', type: 'system', system: { type: 'user_changed_number', wa_id: '9'.repeat(100_000) } }] });
    const report = await app.must(admin, 'messages:ingestFile', { fileName: 'x.jsonl', content: lines(webhook([textMessage('wamid.OK', 'Hi', at('2026-01-01T10:00:00Z'))]), hostile) });
    expect(report.errors.map((e) => e.path)).toEqual(['line 2.entry[0].changes[0].value.messages[0].system.wa_id']);
    expect(report.signals).toEqual([]);
  });
});

describe('messages:ingest: hostile signal shapes are refused clearly and change nothing', () => {
  // Over the parser's limits, under the API's own 20,000-character limit (refused below).
  const huge = 'x'.repeat(5000);
  const msg = (extra: Record<string, unknown>) => signalEnvelope({ messages: [{ from: JAN, id: 'wamid.H', timestamp: String(at('2026-01-01T11:00:00Z')), type: 'system', ...extra }] });
  const cases: Array<[string, unknown, string]> = [
    ['a huge body', msg({ system: { type: 'user_changed_number', body: huge, wa_id: '48600000001' } }), 'entry[0].changes[0].value.messages[0].system.body'],
    ['a huge new number', msg({ system: { type: 'user_changed_number', wa_id: huge } }), 'entry[0].changes[0].value.messages[0].system.wa_id'],
    ['a new number of the wrong type', msg({ system: { type: 'user_changed_number', wa_id: { digits: 1 } } }), 'entry[0].changes[0].value.messages[0].system.wa_id'],
    ['system as a string', msg({ system: 'user_changed_number' }), 'entry[0].changes[0].value.messages[0].system'],
    ['a huge identity', msg({ system: { type: 'customer_identity_changed', identity: huge } }), 'entry[0].changes[0].value.messages[0].system.identity'],
    ['a sender of the wrong type', signalEnvelope({ messages: [{ from: 48601234567, id: 'wamid.H', timestamp: '1767261600', type: 'system', system: { type: 'user_changed_number' } }] }), 'entry[0].changes[0].value.messages[0].from'],
    ['a time that is not Unix seconds', msg({ timestamp: 'soon', system: { type: 'user_changed_number' } }), 'entry[0].changes[0].value.messages[0].timestamp'],
    ['a 131050 to a recipient of the wrong type', signalEnvelope({ statuses: [{ id: 's1', status: 'failed', timestamp: '1767261600', recipient_id: { n: JAN }, errors: [{ code: 131050 }] }] }), 'entry[0].changes[0].value.statuses[0].recipient_id'],
    ['a 131050 with a huge title', signalEnvelope({ statuses: [{ id: 's2', status: 'failed', timestamp: '1767261600', recipient_id: JAN, errors: [{ code: 131050, title: huge }] }] }), 'entry[0].changes[0].value.statuses[0].errors[0].title'],
    ['errors that are not a list', signalEnvelope({ statuses: [{ id: 's3', status: 'failed', timestamp: '1767261600', recipient_id: JAN, errors: '131050' }] }), 'entry[0].changes[0].value.statuses[0].errors'],
  ];

  it.each(cases)('%s', async (_name, payload, path) => {
    const c = await jan();
    await subscribe(c.id);
    const events = await allEvents();
    const contacts = await contactCount();
    const report = await app.must(admin, 'messages:ingest', { payload });
    expect(report.errors.map((e) => e.path)).toContain(path);
    expect(report.errors.every((e) => e.message.length < 500)).toBe(true);
    expect(report.signals).toEqual([]);
    expect(report.itemCount).toBe(0);
    expect(await allEvents()).toBe(events);
    expect(await contactCount()).toBe(contacts);
    expect(await inboundCount()).toBe(0);
    expect(await marketing(c.id)).toBe('subscribed');
  });

  it('a megabyte string anywhere is refused by the API before it is read', async () => {
    const c = await jan();
    await subscribe(c.id);
    const r = await app.as(admin)('messages:ingest', { payload: msg({ system: { type: 'user_changed_number', body: 'x'.repeat(1_000_000) } }) });
    expect(r.ok ? '' : r.error.code).toBe('invalid_input');
    expect(await signalEvents(c.id)).toEqual([]);
    expect(await marketing(c.id)).toBe('subscribed');
  });

  it('a huge identity hash on a message is refused; the message itself still counts, no identity is kept', async () => {
    const c = await jan();
    await subscribe(c.id);
    const report = await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.HI', 'Hello', at('2026-01-01T11:00:00Z'))], JAN, 'h'.repeat(10_000)) });
    expect(report.errors.map((e) => e.path)).toEqual(['entry[0].changes[0].value.contacts[0].identity_key_hash']);
    expect(report.signals).toEqual([]);
    expect(await app.services.db.settings.findOne(identityKey(c.id)).exec()).toBeNull();
    expect(await marketing(c.id)).toBe('subscribed');
  });
});

describe('messages:ingest: redelivery', () => {
  it('an identity seen earlier than the last one, delivered again, is not a change', async () => {
    const c = await jan();
    await subscribe(c.id);
    const first = withIdentity([textMessage('wamid.I1', 'Hi', at('2026-01-01T11:00:00Z'))], JAN, 'hashA');
    await app.must(admin, 'messages:ingest', { payload: first });
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.I2', 'Hi again', at('2026-01-01T11:10:00Z'))], JAN, 'hashB') });
    expect(await marketing(c.id)).toBe('unsubscribed');
    // The new owner confirms.
    await app.must(admin, 'messages:ingest', { payload: withIdentity([textMessage('wamid.I3', 'START', at('2026-01-01T11:20:00Z'))], JAN, 'hashB') });
    expect(await marketing(c.id)).toBe('subscribed');
    const events = await allEvents();
    const report = await app.must(admin, 'messages:ingest', { payload: first });
    expect(report.counts.duplicate).toBe(1);
    expect(report.signals[0]).toMatchObject({ kind: 'identity_seen', eventIds: [] });
    expect(await allEvents()).toBe(events);
    expect(await marketing(c.id)).toBe('subscribed');
    expect(await signalEvents(c.id)).toHaveLength(1);
  });
});
