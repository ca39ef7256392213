import { describe, expect, it } from 'vitest';
import { createMarketingOptOutRecogniser, findMarketingType } from '../../../src/shared/consent/template-button';
import type { SubscriptionType } from '../../../src/shared/domain';

describe('marketing opt-out button', () => {
  const recognise = createMarketingOptOutRecogniser();

  it.each([
    [{ payload: 'STOP_MARKETING' }, 'payload'],
    [{ payload: 'stop_promotions', text: 'Whatever' }, 'payload'],
    [{ text: 'Stop promotions' }, 'text'],
    [{ text: '  STOP  PROMOTIONS ' }, 'text'],
    [{ payload: 'unrelated', text: 'Zatrzymaj promocje' }, 'text'],
    [{ text: 'Arre\u0302ter les promotions' }, 'text'],
  ] as const)('%o opts out by %s', (button, matchedBy) => {
    expect(recognise(button)).toMatchObject({ optOut: true, matchedBy });
  });

  it.each([{ payload: 'BUY_NOW', text: 'Buy now' }, { text: 'Stop' }, {}, { payload: '' }])('%o is not an opt-out', (button) => {
    expect(recognise(button)).toEqual({ optOut: false });
  });

  it('uses a configured payload list', () => {
    const custom = createMarketingOptOutRecogniser({ payloads: ['OPTOUT_2025'], texts: [] });
    expect(custom({ payload: 'optout_2025' }).optOut).toBe(true);
    expect(custom({ payload: 'STOP_MARKETING', text: 'Stop promotions' }).optOut).toBe(false);
  });
});

describe('findMarketingType', () => {
  const base: SubscriptionType = {
    id: 'mkt-1',
    name: 'Marketing',
    purpose: 'marketing',
    businessNumber: '+48221234567',
    phoneNumberId: '106540352242922',
    businessName: 'Shop',
    archived: false,
    createdAt: '',
    updatedAt: '',
  };
  const types: SubscriptionType[] = [
    { ...base, id: 'trx-1', purpose: 'transactional' },
    base,
    { ...base, id: 'mkt-2', businessNumber: '+48229999999', phoneNumberId: '999' },
    { ...base, id: 'mkt-old', businessNumber: '+48225555555', phoneNumberId: '555', archived: true },
  ];

  it('routes by phone_number_id, then by number', () => {
    expect(findMarketingType(types, { phoneNumberId: '999', businessNumber: '' })?.id).toBe('mkt-2');
    expect(findMarketingType(types, { phoneNumberId: '', businessNumber: '+48221234567' })?.id).toBe('mkt-1');
    expect(findMarketingType(types, { phoneNumberId: '404', businessNumber: '+48000000000' })).toBeUndefined();
  });

  it('still finds an archived type, so no opt-out is dropped', () => {
    expect(findMarketingType(types, { phoneNumberId: '555', businessNumber: '' })?.id).toBe('mkt-old');
  });
});
