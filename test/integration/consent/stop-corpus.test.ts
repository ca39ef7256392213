// Meta Cloud API payloads of every class of issue 18, through the real engine on a temp
// folder. Each case has its own sender, so it asserts its own outcome, events and review items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, webhook } from '../../helpers/webhook';

type Expect = 'opted_out' | 'opted_in' | 'review' | 'no_change' | 'button_opt_out';
type Case = { label: string; message: Record<string, unknown>; expect: Expect };

let app: TestApp;
let admin: Session;
let marketingId: string;
let ordersId: string;

beforeAll(async () => {
  app = await openTestApp({ now: () => new Date('2026-01-01T12:00:00Z') });
  admin = await app.signIn('admin');
  const number = { businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' };
  marketingId = (await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', ...number })).id;
  ordersId = (await app.must(admin, 'types:create', { name: 'Orders', purpose: 'transactional', ...number })).id;
});
afterAll(async () => {
  await app.dispose();
});

const TS = 1_767_000_000;
const text = (body: string) => ({ type: 'text', text: { body } });
const caption = (type: 'image' | 'video' | 'document', body: string) => ({ type, [type]: { id: 'media.1', mime_type: 'image/jpeg', caption: body } });
const interactive = (kind: 'button_reply' | 'list_reply', id: string, title: string) => ({ type: 'interactive', interactive: { type: kind, [kind]: { id, title } } });
const quickReply = (payload: string, title: string) => ({ type: 'button', button: { payload, text: title } });

const DECORATED_STOPS = [
  'STOP.', 'STOP!', 'Stop!!!', '!STOP', '"STOP"', '“STOP”', '«STOP»', "'stop'", '*STOP*', '_STOP_', '~STOP~', '```STOP```',
  'STOP 🛑', '🛑 STOP', 'STOP🛑', '✋🏽 stop', 'S\u200bTOP', 'ST\u200dOP', '\u2060STOP\u2060', '\u200eSTOP\u200f', '\u202bSTOP\u202c',
  '\u2066STOP\u2069', '\u2067STOP\u2069', '\u061cSTOP', 'STOP\ufe0f', 'S\u00adTOP', '\ufeffSTOP', 'ＳＴＯＰ！', '¡ALTO!', 'ARRÊTER !',
  'arreter', '停止。', '「停止」', 'PARAR!', '¿PARAR?', 'Beenden.', '*UNSUBSCRIBE*', 'quit 👋', 'END.', 'cancel!', 'STOPALL!!',
  'S.T.O.P', '   stop   ', '\tSTOP\n', 'Stop\u3000', '𝐒𝐓𝐎𝐏', '(STOP)', '#STOP', 'STOP™', 'STOP\u0007', '...STOP...', 'S-T-O-P',
  'Q.U.I.T', '*_~STOP~_*', '🛑STOP🛑', 'STOP ✋🏿',
];
const REVIEWS = [
  'Please STOP', 'STOP please', 'Stop all messages', 'STOP STOP', 'stop!!! stop!!!', 'please stop messaging me', "don't text me anymore",
  'unsubscribe me please', 'Remove me from your list', 'I want to unsubscribe', 'how do I opt out?', 'no more promotions please', 'leave me alone',
  'Proszę mnie usunąć z listy', 'nie piszcie do mnie', 'proszę o wypisanie', 'wypiszcie mnie', 'rezygnuję z subskrypcji', 'STOP proszę',
  'no me escriban más', 'quiero darme de baja', 'ALTO por favor', "arrêtez de m'écrire", 'désabonnez-moi', 'ARRÊTER svp',
  'parem de me enviar mensagens', 'me descadastre por favor', 'PARAR por favor', 'schreiben Sie mir nicht mehr', 'melden Sie mich ab',
  'stop sending these', 'I do not want any more messages', 'take me off the list thanks', 'nie chcę więcej wiadomości',
  'dejen de enviarme mensajes', 'je veux me désabonner', 'quero me descadastrar', 'keine Nachrichten mehr bitte', 'メッセージはもういりません',
  'Ｓｔｏｐ　ｐｌｅａｓｅ', 'BEENDEN bitte', '配信停止してください', '停止してください', '送らないでください', '登録解除お願いします', 'STOPして', 'When does the sale END?',
];
const NOTHING = [
  'Can I start receiving messages?', 'START please', "don't stop", 'Stop by the shop tomorrow?', 'Is the bus stop near?',
  'I want to cancel my order', 'Hi, when will my order arrive?', 'Thanks!', 'Dzień dobry', '開始してください', 'STOPPED', '🛑', '\u200b', 'stopover?',
];
const STARTS = ['START', 'start!', '*Start*', 'Ｓｔａｒｔ', 'S\u200bTART', '🙂 subscribe 🙂', 'EMPEZAR', 'commencer', '開始'];

const CASES: Case[] = [
  ...DECORATED_STOPS.map((body) => ({ label: `text ${JSON.stringify(body)}`, message: text(body), expect: 'opted_out' as const })),
  ...REVIEWS.map((body) => ({ label: `text ${JSON.stringify(body)}`, message: text(body), expect: 'review' as const })),
  ...NOTHING.map((body) => ({ label: `text ${JSON.stringify(body)}`, message: text(body), expect: 'no_change' as const })),
  ...STARTS.map((body) => ({ label: `text ${JSON.stringify(body)}`, message: text(body), expect: 'opted_in' as const })),
  ...(['image', 'video', 'document'] as const).flatMap((type) => [
    { label: `${type} caption STOP`, message: caption(type, 'STOP'), expect: 'opted_out' as const },
    { label: `${type} caption 🛑 STOP!`, message: caption(type, '🛑 STOP!'), expect: 'opted_out' as const },
    { label: `${type} caption please stop messaging me`, message: caption(type, 'please stop messaging me'), expect: 'review' as const },
    { label: `${type} caption holiday photo`, message: caption(type, 'holiday photo'), expect: 'no_change' as const },
    { label: `${type} without caption`, message: { type, [type]: { id: 'media.2' } }, expect: 'no_change' as const },
  ]),
  { label: 'quick reply text Unsubscribe', message: quickReply('btn-1', 'Unsubscribe'), expect: 'opted_out' },
  { label: 'quick reply text STOP', message: quickReply('btn-2', 'STOP'), expect: 'opted_out' },
  { label: 'quick reply payload STOP, text Yes', message: quickReply('STOP', 'Yes'), expect: 'opted_out' },
  { label: 'quick reply payload unsubscribe, text OK', message: quickReply('unsubscribe', 'OK'), expect: 'opted_out' },
  { label: 'quick reply text Stop all messages', message: quickReply('b', 'Stop all messages'), expect: 'review' },
  { label: 'quick reply payload START, text STOP: opt-out wins', message: quickReply('START', 'STOP'), expect: 'opted_out' },
  { label: 'quick reply text Start', message: quickReply('b', 'Start'), expect: 'opted_in' },
  { label: 'quick reply text Yes', message: quickReply('yes_1', 'Yes'), expect: 'no_change' },
  { label: 'quick reply Stop promotions (template opt-out)', message: quickReply('STOP_PROMOTIONS', 'Stop promotions'), expect: 'button_opt_out' },
  { label: 'interactive button_reply title STOP', message: interactive('button_reply', 'opt-1', 'STOP'), expect: 'opted_out' },
  { label: 'interactive button_reply id UNSUBSCRIBE', message: interactive('button_reply', 'UNSUBSCRIBE', 'Not now'), expect: 'opted_out' },
  { label: 'interactive button_reply please remove me', message: interactive('button_reply', 'x', 'Please remove me from the list'), expect: 'review' },
  { label: 'interactive list_reply title Unsubscribe', message: interactive('list_reply', 'row-3', 'Unsubscribe'), expect: 'opted_out' },
  { label: 'interactive list_reply id stop', message: interactive('list_reply', 'stop', 'Nope'), expect: 'opted_out' },
  { label: 'interactive list_reply Opening hours', message: interactive('list_reply', 'hours', 'Opening hours'), expect: 'no_change' },
];

const EVENTS: Record<Expect, number> = { opted_out: 2, opted_in: 1, review: 0, no_change: 0, button_opt_out: 1 };

describe('stop corpus: Meta Cloud API payloads through the engine', () => {
  it('holds at least 150 webhook cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(CASES.map((c, i) => ({ ...c, i })))('$label → $expect', async ({ message, expect: outcome, i }) => {
    const from = `48601${String(100_000 + i).padStart(6, '0')}`;
    const id = `wamid.corpus.${i}`;
    const payload = webhook([{ from, id, timestamp: String(TS + i), ...message }], { from, name: `Case ${i}` });
    const report = await app.must(admin, 'messages:ingest', { payload });
    expect(report.errors).toEqual([]);
    expect(report.items.map((r) => r.outcome)).toEqual([outcome]);
    const contactId = report.items[0]?.contactId ?? '';
    const events = await app.services.db.consent_events.find({ selector: { contactId } }).exec();
    expect(events).toHaveLength(EVENTS[outcome]);
    const reviews = await app.services.db.review_items.findByIds([`review:msg:${id}`]).exec();
    expect(reviews.size).toBe(outcome === 'review' ? 1 : 0);
    const panel = await app.must(admin, 'consent:forContact', { contactId });
    const status = (typeId: string) => panel.types.find((t) => t.type.id === typeId)?.status;
    const marketing = outcome === 'opted_out' || outcome === 'button_opt_out' ? 'unsubscribed' : outcome === 'opted_in' ? 'subscribed' : 'not_specified';
    expect(status(marketingId)).toBe(marketing);
    expect(status(ordersId)).toBe(outcome === 'opted_out' ? 'unsubscribed' : 'not_specified');
    // Redelivery changes nothing.
    const again = await app.must(admin, 'messages:ingest', { payload });
    expect(again.items.map((r) => r.outcome)).toEqual(['duplicate']);
    expect(await app.services.db.consent_events.count({ selector: { contactId } }).exec()).toBe(EVENTS[outcome]);
  });
});
