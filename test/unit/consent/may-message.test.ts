import { describe, expect, it } from 'vitest';
import { canMessage, type MayMessageInput } from '../../../src/shared/consent/may-message';
import { ALL_WHATSAPP_TYPE_ID, type ConsentStatus } from '../../../src/shared/domain';

const NOW = new Date('2025-03-02T12:00:00.000Z');
const marketingType = { id: 'mkt', name: 'WhatsApp marketing · +48 22 123 45 67', purpose: 'marketing' as const, archived: false };
const serviceType = { ...marketingType, id: 'trx', name: 'WhatsApp transactional', purpose: 'transactional' as const };
const validContact = { waNumber: '+48600100200', phoneValid: true, lastInboundAt: '2025-03-02T09:00:00.000Z' };

function input(overrides: Partial<MayMessageInput> & { state?: Record<string, ConsentStatus> }): MayMessageInput {
  const { state, ...rest } = overrides;
  return { contact: validContact, type: marketingType, category: 'marketing', stateByType: state ?? {}, now: NOW, ...rest };
}

describe('canMessage', () => {
  it.each([
    ['marketing, subscribed', input({ state: { mkt: 'subscribed' } }), true, 'ok_subscribed'],
    ['marketing, not specified', input({}), false, 'not_subscribed'],
    ['marketing, unsubscribed', input({ state: { mkt: 'unsubscribed' } }), false, 'unsubscribed'],
    [
      'marketing, subscribed but channel opt-out',
      input({ state: { mkt: 'subscribed', [ALL_WHATSAPP_TYPE_ID]: 'unsubscribed' } }),
      false,
      'channel_opt_out',
    ],
    [
      'marketing, channel flag cleared',
      input({ state: { mkt: 'subscribed', [ALL_WHATSAPP_TYPE_ID]: 'not_specified' } }),
      true,
      'ok_subscribed',
    ],
    [
      'marketing, invalid number',
      input({ state: { mkt: 'subscribed' }, contact: { ...validContact, phoneValid: false } }),
      false,
      'invalid_number',
    ],
    [
      'marketing, missing number',
      input({ state: { mkt: 'subscribed' }, contact: { ...validContact, waNumber: '' } }),
      false,
      'invalid_number',
    ],
    ['marketing against a transactional type', input({ type: serviceType, state: { trx: 'subscribed' } }), false, 'not_marketing_type'],
    ['marketing, archived type', input({ type: { ...marketingType, archived: true }, state: { mkt: 'subscribed' } }), false, 'type_archived'],
    ['service, 3 hours after inbound', input({ category: 'service' }), true, 'ok_service_window'],
    ['service, unsubscribed from marketing still gets replies', input({ category: 'service', state: { mkt: 'unsubscribed' } }), true, 'ok_service_window'],
    [
      'service, 23:59:59 after inbound',
      input({ category: 'service', contact: { ...validContact, lastInboundAt: '2025-03-01T12:00:01.000Z' } }),
      true,
      'ok_service_window',
    ],
    [
      'service, exactly 24 h after inbound',
      input({ category: 'service', contact: { ...validContact, lastInboundAt: '2025-03-01T12:00:00.000Z' } }),
      false,
      'outside_service_window',
    ],
    [
      'service, two days after inbound',
      input({ category: 'service', contact: { ...validContact, lastInboundAt: '2025-02-28T12:00:00.000Z' } }),
      false,
      'outside_service_window',
    ],
    ['service, never wrote', input({ category: 'service', contact: { ...validContact, lastInboundAt: '' } }), false, 'no_inbound_message'],
    [
      'service, unreadable inbound time',
      input({ category: 'service', contact: { ...validContact, lastInboundAt: 'yesterday' } }),
      false,
      'no_inbound_message',
    ],
    [
      'service, inbound time slightly in the future (clock skew)',
      input({ category: 'service', contact: { ...validContact, lastInboundAt: '2025-03-02T12:05:00.000Z' } }),
      true,
      'ok_service_window',
    ],
    ['service, channel opt-out', input({ category: 'service', state: { [ALL_WHATSAPP_TYPE_ID]: 'unsubscribed' } }), false, 'channel_opt_out'],
    [
      'service, invalid number',
      input({ category: 'service', contact: { ...validContact, phoneValid: false } }),
      false,
      'invalid_number',
    ],
  ] as const)('%s', (_label, request, allowed, reasonCode) => {
    const answer = canMessage(request);
    expect(answer.allowed).toBe(allowed);
    expect(answer.reasonCode).toBe(reasonCode);
    expect(answer.reason.length).toBeGreaterThan(15);
  });

  it('says when the service window closes', () => {
    expect(canMessage(input({ category: 'service' })).windowClosesAt).toBe('2025-03-03T09:00:00.000Z');
  });

  it('names the type in the reason', () => {
    expect(canMessage(input({})).reason).toContain(marketingType.name);
  });
});
