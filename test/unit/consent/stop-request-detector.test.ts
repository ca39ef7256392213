import { describe, expect, it } from 'vitest';
import { detectStopRequest } from '../../../src/shared/consent/stop-request-detector';

describe('detectStopRequest', () => {
  it.each([
    ['en', 'please stop messaging me'],
    ['en', 'Please STOP messaging me!!'],
    ['en', "don't text me anymore"],
    ['en', 'Don’t contact me again'],
    ['en', 'do not send me messages'],
    ['en', 'unsubscribe me please'],
    ['en', 'Remove me from your list'],
    ['en', 'take me off the list thanks'],
    ['en', 'I want to unsubscribe'],
    ['en', 'how do I opt out?'],
    ['en', 'no more promotions please'],
    ['en', 'stop sending these'],
    ['en', 'I do not want any more messages'],
    ['en', 'leave me alone'],
    ['pl', 'nie piszcie do mnie'],
    ['pl', 'Nie piszcie do mnie więcej!'],
    ['pl', 'proszę o wypisanie'],
    ['pl', 'Proszę o wypisanie z listy'],
    ['pl', 'wypiszcie mnie'],
    ['pl', 'usuńcie mnie z bazy'],
    ['pl', 'przestańcie do mnie pisać'],
    ['pl', 'nie chcę więcej wiadomości'],
    ['pl', 'rezygnuję z subskrypcji'],
    ['es', 'no me escriban más'],
    ['es', 'dejen de enviarme mensajes'],
    ['es', 'quiero darme de baja'],
    ['es', 'no quiero recibir más mensajes'],
    ['fr', "arrêtez de m'écrire"],
    ['fr', 'ne m’envoyez plus rien'],
    ['fr', 'désabonnez-moi'],
    ['fr', 'je veux me désabonner'],
    ['fr', 'je ne veux plus recevoir vos messages'],
    ['pt', 'parem de me enviar mensagens'],
    ['pt', 'para de me mandar isso'],
    ['pt', 'não me mandem mais nada'],
    ['pt', 'me descadastre por favor'],
    ['pt', 'quero me descadastrar'],
    ['pt', 'não quero mais receber'],
    ['de', 'hört auf mir zu schreiben'],
    ['de', 'schreiben Sie mir nicht mehr'],
    ['de', 'keine Nachrichten mehr bitte'],
    ['de', 'melden Sie mich ab'],
    ['de', 'bitte tragen Sie mich aus'],
  ])('%s: %s', (language, message) => {
    const result = detectStopRequest(message);
    expect(result.likelyStopRequest).toBe(true);
    expect(result.language).toBe(language);
    expect(result.matched?.length).toBeGreaterThan(3);
  });

  it.each([
    'stop by the store tomorrow?',
    'Can you stop at the post office?',
    'When does the sale end?',
    'The bus stop is near the shop',
    "please don't stop messaging me, I love the offers",
    'Can I start receiving messages?',
    'Thanks, see you tomorrow',
    'I want to subscribe',
    'Do you send messages on Sundays?',
    'Czy mogę zamówić jutro?',
    'Dziękuję za wiadomość',
    '¿Dónde está la tienda?',
    'Je veux commander',
    'Quero receber ofertas',
    'Ich möchte bestellen',
    '',
    '🛑',
  ])('not a stop request: %s', (message) => {
    expect(detectStopRequest(message)).toEqual({ likelyStopRequest: false });
  });
});
