import { describe, expect, it } from 'vitest';
import { defaultKeywordTable } from '../../../src/shared/consent/default-keywords';
import { decideText } from '../../../src/shared/consent/inbound-text-rule';
import { createKeywordMatcher } from '../../../src/shared/consent/keyword-matcher';

const matcher = createKeywordMatcher(defaultKeywordTable());

// Stop requests people really write, per language: each must reach the review queue.
const STOP_REQUESTS: Record<string, readonly string[]> = {
  en: [
    'Please STOP', 'STOP please', 'Stop all messages', 'STOP STOP', 'stop!!! stop!!!', 'please stop messaging me',
    "don't text me anymore", 'Don’t contact me again', 'unsubscribe me please', 'Remove me from your list',
    'take me off the list thanks', 'I want to unsubscribe', 'how do I opt out?', 'no more promotions please',
    'stop sending these', 'I do not want any more messages', 'leave me alone', 'opt me out', 'Please remove my number',
    'delete my number from your database', 'not interested, thanks', 'I want to cancel my subscription', 'cancel it all', 'unsubscribe from everything', 'stop spamming me', 'Take me off your WhatsApp list',
    'END please', 'I quit', 'stop it', 'Can you stop?', 'why won’t you stop messaging me', 'no more texts!!',
  ],
  pl: [
    'Proszę mnie usunąć z listy', 'nie piszcie do mnie', 'Nie piszcie do mnie więcej!', 'proszę o wypisanie',
    'wypiszcie mnie', 'usuńcie mnie z bazy', 'przestańcie do mnie pisać', 'nie chcę więcej wiadomości',
    'rezygnuję z subskrypcji', 'Usuńcie mój numer', 'proszę mnie wypisać', 'wyłączcie powiadomienia', 'dość tych wiadomości',
    'nie wysyłajcie mi już nic', 'Chcę wypisać się z newslettera', 'dajcie mi spokój', 'STOP proszę', 'Nie chcę już dostawać SMS',
  ],
  es: [
    'no me escriban más', 'dejen de enviarme mensajes', 'quiero darme de baja', 'no quiero recibir más mensajes',
    'ALTO por favor', 'bórrenme de la lista', 'quítenme de su lista', 'cancelar suscripción', 'basta de mensajes',
    'no me manden nada', 'deja de escribirme',
  ],
  fr: [
    "arrêtez de m'écrire", 'ne m’envoyez plus rien', 'désabonnez-moi', 'je veux me désabonner',
    'je ne veux plus recevoir vos messages', 'ARRÊTER svp', 'supprimez mon numéro', 'plus de pub merci',
    'laissez-moi tranquille', 'retirez-moi de la liste',
  ],
  pt: [
    'parem de me enviar mensagens', 'para de me mandar isso', 'não me mandem mais nada', 'me descadastre por favor',
    'quero me descadastrar', 'não quero mais receber', 'PARAR por favor', 'me tire da lista', 'quero sair da lista',
    'chega de mensagens',
  ],
  de: [
    'hört auf mir zu schreiben', 'schreiben Sie mir nicht mehr', 'keine Nachrichten mehr bitte', 'melden Sie mich ab',
    'bitte tragen Sie mich aus', 'BEENDEN bitte', 'ich möchte mich abmelden', 'Newsletter abbestellen',
    'löschen Sie meine Nummer', 'lasst mich in Ruhe',
  ],
  ja: [
    '配信停止してください', '停止してください', '配信を止めてください', 'メッセージはもういりません', '送らないでください',
    '登録解除お願いします', '配信不要です', 'もう連絡しないで', '停止希望', '通知をやめて', '停止 お願いします',
  ],
};

// Messages that must NOT become review items (decided and documented in stop-request-detector.ts).
const NOT_REQUESTS: readonly string[] = [
  "don't stop", 'Please don’t stop messaging me, I love the offers', 'Stop by the shop tomorrow?', 'I will stop by later',
  'Is the bus stop near the store?', 'I want to cancel my order', 'Can I cancel my appointment?', 'Can I start receiving messages?',
  'START please', 'Hi, when will my order arrive?', 'Thanks!', 'Dzień dobry, czy paczka już wyszła?',
  '開始してください', 'Never stop improving!', 'stopover in Paris?', 'The unstoppable deal', 'Quite good', 'Endless summer sale?',
  '¿Cuándo abren?', 'Merci beaucoup', 'Obrigado!', 'Danke schön', 'ありがとうございます',
];

const rows = Object.entries(STOP_REQUESTS).flatMap(([language, phrases]) => phrases.map((message) => ({ language, message })));

describe('inbound text rule: stop requests reach review', () => {
  it('covers at least 100 phrasings in at least 7 languages', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(Object.keys(STOP_REQUESTS).length).toBeGreaterThanOrEqual(7);
  });

  it.each(rows)('$language: $message', ({ message }) => {
    const verdict = decideText(matcher, message);
    expect(verdict.action).toBe('review');
    expect(verdict.matched.length).toBeGreaterThan(0);
    expect(verdict.reason.length).toBeGreaterThan(10);
  });
});

describe('inbound text rule: mentions that are not requests change nothing and raise nothing', () => {
  it.each(NOT_REQUESTS)('%j', (message) => {
    expect(decideText(matcher, message).action).toBe('none');
  });

  it('a harmless mention does not hide a real STOP next to it', () => {
    expect(decideText(matcher, "Don't stop. STOP").action).toBe('review');
    expect(decideText(matcher, 'stop by the shop? no. STOP.').action).toBe('review');
  });
});

describe('inbound text rule: keywords act', () => {
  it.each([
    ['STOP!', 'opt_out'], ['cancel', 'opt_out'], ['🛑 STOP', 'opt_out'], ['停止。', 'opt_out'], ['START', 'opt_in'], ['*Start*', 'opt_in'],
  ] as const)('%j → %s', (message, action) => {
    expect(decideText(matcher, message).action).toBe(action);
  });
});
