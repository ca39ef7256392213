// The exceptions of SPEC 2 (docs/inbound-messages.md, "Messages that are not requests"),
// through the real engine with Meta Cloud API payload shapes: for each, the outcome, the
// status, the number of events and the review items.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';

let app: TestApp;
let admin: Session;
let marketingId: string;
const FROM = '48601234567';

beforeEach(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
  marketingId = (await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' })).id;
  // A subscribed sender: an opt-out would show as a changed status.
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.start', 'START', 1_767_000_000)]) });
});
afterEach(async () => app.dispose());

const ingest = async (message: Record<string, unknown>) => {
  const report = await app.must(admin, 'messages:ingest', { payload: webhook([message]) });
  const contact = (await app.services.db.contacts.find().exec())[0];
  const status = (await app.must(admin, 'consent:forContact', { contactId: contact?.id ?? '' })).types.find((t) => t.type.id === marketingId)?.status;
  const events = await app.services.db.consent_events.count().exec();
  const reviews = await app.services.db.review_items.find().exec();
  const kept = await app.services.db.inbound_messages.findOne(`msg:${String(message.id)}`).exec();
  return { outcome: report.items[0]?.outcome, status, events, reviews: reviews.length, kept: kept !== null };
};

const at = 1_767_000_100;
const reply = (id: string, body: string) => ({ ...textMessage(id, body, at, FROM), context: { from: BUSINESS.display, id: 'wamid.campaign1' } });
const reaction = (id: string, emoji: string) => ({ from: FROM, id, timestamp: String(at), type: 'reaction', reaction: { message_id: 'wamid.campaign1', emoji } });

describe('messages that are not requests change nothing; the sender stays subscribed', () => {
  it.each([
    ['a reaction 🛑 to a campaign message', reaction('wamid.r1', '🛑')],
    ['a reaction 👎', reaction('wamid.r2', '👎')],
    ['a reaction removed (empty emoji)', reaction('wamid.r3', '')],
    ['an emoji alone, typed', textMessage('wamid.e1', '🛑', at, FROM)],
    ['an opt-in keyword inside a sentence', textMessage('wamid.s1', 'Can I START tomorrow?', at, FROM)],
    ['a plainly harmless mention of stop', textMessage('wamid.h1', "I'll stop by the shop tomorrow", at, FROM)],
    ['a negated stop', textMessage('wamid.h2', "Please don't stop, I love these offers", at, FROM)],
    ['cancel an order', textMessage('wamid.h3', 'I want to cancel my order', at, FROM)],
  ])('%s: no event, no review item, the message is kept', async (_label, message) => {
    const r = await ingest(message);
    expect(r).toMatchObject({ status: 'subscribed', events: 1, reviews: 0, kept: true });
    expect(['no_change']).toContain(r.outcome);
  });
});

describe('questions about stopping are stop requests: a review item, no event', () => {
  it.each([
    'how do I stop?',
    'How do I unsubscribe from this?',
    'What happens if I reply STOP?',
    'jak się wypisać?',
    'Gdzie mogę się wypisać?',
    '¿Cómo me doy de baja?',
    'Comment se désabonner ?',
    'Como cancelo as mensagens?',
    'Wie melde ich mich ab?',
    'どうやって解除できますか',
  ])('%j', async (text) => {
    const r = await ingest(textMessage('wamid.q1', text, at, FROM));
    expect(r).toMatchObject({ outcome: 'review', status: 'subscribed', events: 1, reviews: 1, kept: true });
  });
});

describe('a quoted reply is read by what the sender wrote, not by the message it quotes', () => {
  it('"STOP" quoting a campaign message is a STOP: one event, unsubscribed, no review item', async () => {
    expect(await ingest(reply('wamid.q2', 'STOP'))).toMatchObject({ outcome: 'opted_out', status: 'unsubscribed', events: 2, reviews: 0 });
  });

  it('"Thanks!" quoting a message that says "Reply STOP to opt out" changes nothing', async () => {
    expect(await ingest(reply('wamid.q3', 'Thanks!'))).toMatchObject({ outcome: 'no_change', status: 'subscribed', events: 1, reviews: 0 });
  });

  it('"stop these please" quoting a campaign is a stop request: review, no event', async () => {
    expect(await ingest(reply('wamid.q4', 'stop these please'))).toMatchObject({ outcome: 'review', status: 'subscribed', events: 1, reviews: 1 });
  });
});
