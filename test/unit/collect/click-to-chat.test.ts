import { describe, expect, it } from 'vitest';
import {
  chooseOptIn,
  clickToChatLink,
  offersOptInQr,
  optInChoices,
  optOutFor,
  qrFileName,
  unbreakable,
} from '../../../src/renderer/src/pages/collect/click-to-chat';
import { defaultKeywordTable } from '../../../src/shared/consent/default-keywords';
import type { SubscriptionType } from '../../../src/shared/domain';

const type = (over: Partial<SubscriptionType> = {}): SubscriptionType => ({
  id: 't1', name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48221234567', phoneNumberId: 'pn1',
  businessName: 'Sklep Kowalski', archived: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over,
});

describe('click-to-chat link', () => {
  it('uses the digits of the number and encodes the keyword', () => {
    expect(clickToChatLink('+48 22 123 45 67', 'START')).toBe('https://wa.me/48221234567?text=START');
    expect(clickToChatLink('+48221234567', 'ARRÊTER')).toBe('https://wa.me/48221234567?text=ARR%C3%8ATER');
    expect(clickToChatLink('+81312345678', '開始')).toBe('https://wa.me/81312345678?text=%E9%96%8B%E5%A7%8B');
  });
  it('names QR files safely', () => {
    expect(qrFileName('Sklep Kowalski', 'EMPEZAR', 'svg')).toBe('whatsapp-opt-in-sklep-kowalski-empezar.svg');
    expect(qrFileName('///', '///', 'png')).toBe('whatsapp-opt-in-qr.png');
  });
  it('keeps a formatted number on one line', () => {
    expect(unbreakable('+48 22 123 45 67')).toBe('+48\u00a022\u00a0123\u00a045\u00a067');
  });
});

describe('opt-in keyword choice', () => {
  it('lists every opt-in keyword of the table with its language, in table order', () => {
    const choices = optInChoices(defaultKeywordTable());
    expect(choices.slice(0, 4)).toEqual([
      { keyword: 'START', lang: 'en' }, { keyword: 'SUBSCRIBE', lang: 'en' }, { keyword: 'UNSTOP', lang: 'en' }, { keyword: 'EMPEZAR', lang: 'es' },
    ]);
    expect(choices.map((c) => c.keyword)).not.toContain('STOP');
  });
  it('offers START while the table is not loaded, or when it has no opt-in keyword at all', () => {
    expect(optInChoices(null)).toEqual([{ keyword: 'START', lang: 'en' }]);
    const empty = defaultKeywordTable();
    for (const lists of Object.values(empty)) lists.optIn = [];
    expect(optInChoices(empty)).toEqual([{ keyword: 'START', lang: 'en' }]);
  });
  it('keeps the wanted keyword while it is on offer, else falls back to the first', () => {
    const choices = optInChoices(defaultKeywordTable());
    expect(chooseOptIn(choices, 'EMPEZAR')).toEqual({ keyword: 'EMPEZAR', lang: 'es' });
    expect(chooseOptIn(choices, 'REMOVED')).toEqual({ keyword: 'START', lang: 'en' });
    expect(chooseOptIn([], 'START')).toEqual({ keyword: 'START', lang: 'en' });
  });
  it('names the opt-out keyword of the same language, falling back to English and then STOP', () => {
    const table = defaultKeywordTable();
    expect(optOutFor(table, 'es')).toBe('ALTO');
    expect(optOutFor(table, 'en')).toBe('STOP');
    table.de.optOut = [];
    expect(optOutFor(table, 'de')).toBe('STOP');
    expect(optOutFor(null, 'fr')).toBe('STOP');
  });
});

describe('where the contact record offers the opt-in QR', () => {
  it('on a live marketing type with a number, unless already subscribed', () => {
    expect(offersOptInQr(type(), 'not_specified')).toBe(true);
    expect(offersOptInQr(type(), 'unsubscribed')).toBe(true);
    expect(offersOptInQr(type(), 'subscribed')).toBe(false);
  });
  it('not on transactional or archived types, nor without a business number', () => {
    expect(offersOptInQr(type({ purpose: 'transactional' }), 'not_specified')).toBe(false);
    expect(offersOptInQr(type({ archived: true }), 'not_specified')).toBe(false);
    expect(offersOptInQr(type({ businessNumber: '' }), 'not_specified')).toBe(false);
  });
});
