import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { ruleDefinition } from '../../../src/shared/automation/rule-model';
import type { SubscriptionType } from '../../../src/shared/domain';
import { en } from '../../../src/renderer/src/i18n/en';
import { pl } from '../../../src/renderer/src/i18n/pl';
import { ruleSummary } from '../../../src/renderer/src/pages/automation/rule-summary';

const types = [{ id: 'T', name: 'WhatsApp orders' }] as SubscriptionType[];

const translator = async (lng: 'en' | 'pl') => {
  const i = i18next.createInstance();
  await i.init({ resources: { en: { translation: en }, pl: { translation: pl } }, lng, interpolation: { escapeValue: false } });
  return i.t;
};

const rule = ruleDefinition.parse({
  name: 'Customers',
  trigger: { kind: 'property_changed', target: 'property', property: 'lifecycle_stage', toValue: 'customer' },
  conditions: {
    kind: 'group', op: 'and', children: [
      { kind: 'phone_valid', valid: true },
      { kind: 'group', op: 'or', children: [{ kind: 'property', target: 'tags', op: 'equals', value: 'vip' }, { kind: 'property', target: 'property', property: 'orders', op: 'gt', value: '10' }] },
    ],
  },
  actions: [
    { kind: 'set_status', typeId: 'T', status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Became a customer' },
    { kind: 'add_tag', tag: 'auto' },
  ],
});

describe('plain-language summary', () => {
  it('English', async () => {
    expect(ruleSummary(await translator('en'), rule, types)).toEqual([
      'When the property “lifecycle_stage” changes to “customer”, and (the WhatsApp number is valid; (the contact has the tag “vip”; the property “orders” is a number greater than “10”, at least one true), all true),',
      'then set “WhatsApp orders” to subscribed (Performance of a contract), explaining “Became a customer”; add the tag “auto”.',
      'Contacts who opted out themselves are never resubscribed, and subscribing needs a valid WhatsApp number.',
    ]);
  });
  it('Polish', async () => {
    expect(ruleSummary(await translator('pl'), rule, types)).toEqual([
      'Gdy właściwość „lifecycle_stage” zmieni się na „customer”, i (numer WhatsApp jest poprawny; (kontakt ma tag „vip”; właściwość „orders” jest liczbą większą niż „10”, co najmniej jeden spełniony), wszystkie spełnione),',
      'wtedy ustaw „WhatsApp orders” na zapisany (Wykonanie umowy) z uzasadnieniem „Became a customer”; dodaj tag „auto”.',
      'Kontakty, które same się wypisały, nigdy nie są zapisywane ponownie, a zapis wymaga poprawnego numeru WhatsApp.',
    ]);
  });
});
