import { describe, expect, it } from 'vitest';
import {
  conditionHolds,
  factsShown,
  planActions,
  planContact,
  triggerFires,
  type ContactFacts,
  type ContactSnapshot,
  type KeyState,
  type TriggerEvent,
} from '../../../src/shared/automation/rule-evaluator';
import { ruleDefinition, type RuleAction, type RuleCondition, type RuleTrigger } from '../../../src/shared/automation/rule-model';
import { ALL_WHATSAPP_TYPE_ID } from '../../../src/shared/domain';

const contact = (over: Partial<ContactSnapshot> = {}): ContactSnapshot => ({
  id: 'c1',
  name: 'Jan Kowalski',
  email: 'jan@example.pl',
  phoneValid: true,
  properties: { lifecycle_stage: 'customer', orders: '12,5', signed: '2026-01-10' },
  tags: ['vip'],
  ...over,
});

const NONE: KeyState = { status: 'not_specified', ownOptOut: false, lastEventId: '' };

const facts = (c: ContactSnapshot = contact(), states: Record<string, Partial<KeyState>> = {}, usable = ['T', 'M']): ContactFacts => ({
  contact: c,
  state: (typeId) => ({ ...NONE, ...(states[typeId] ?? {}) }),
  typeUsable: (typeId) => usable.includes(typeId),
});

const prop = (op: string, value = '', property = 'lifecycle_stage', target = 'property'): RuleCondition =>
  ({ kind: 'property', target, property, op, value }) as RuleCondition;

describe('triggers', () => {
  const before = contact({ properties: { lifecycle_stage: 'lead' }, tags: ['vip'] });
  const after = contact({ properties: { lifecycle_stage: 'Customer' }, tags: ['vip', 'gold'] });
  const changed: TriggerEvent = { kind: 'property_changed', before, after };
  const cases: Array<[string, RuleTrigger, TriggerEvent, boolean]> = [
    ['created fires on created', { kind: 'contact_created' }, { kind: 'contact_created' }, true],
    ['created ignores a change', { kind: 'contact_created' }, changed, false],
    ['property to value (case-insensitive)', { kind: 'property_changed', target: 'property', property: 'lifecycle_stage', toValue: 'customer' }, changed, true],
    ['property to another value', { kind: 'property_changed', target: 'property', property: 'lifecycle_stage', toValue: 'partner' }, changed, false],
    ['property, any change', { kind: 'property_changed', target: 'property', property: 'lifecycle_stage', toValue: '' }, changed, true],
    ['a property that did not change', { kind: 'property_changed', target: 'property', property: 'orders', toValue: '' }, changed, false],
    ['a tag added', { kind: 'property_changed', target: 'tags', property: '', toValue: 'GOLD' }, changed, true],
    ['a tag that was already there', { kind: 'property_changed', target: 'tags', property: '', toValue: 'vip' }, changed, false],
    ['any tag added', { kind: 'property_changed', target: 'tags', property: '', toValue: '' }, changed, true],
    ['name changed', { kind: 'property_changed', target: 'name', property: '', toValue: '' }, changed, false],
    ['inbound, any message', { kind: 'inbound_message', keyword: '' }, { kind: 'inbound_message', body: 'hello' }, true],
    ['inbound, keyword as a word', { kind: 'inbound_message', keyword: 'order' }, { kind: 'inbound_message', body: 'Where is my ORDER?' }, true],
    ['inbound, keyword inside another word', { kind: 'inbound_message', keyword: 'order' }, { kind: 'inbound_message', body: 'disorderly' }, false],
    ['inbound, two-word keyword', { kind: 'inbound_message', keyword: 'my order' }, { kind: 'inbound_message', body: 'about  my  order!' }, true],
    ['import finished', { kind: 'import_finished' }, { kind: 'import_finished' }, true],
    ['import vs run now', { kind: 'import_finished' }, { kind: 'run_now' }, false],
    ['run now', { kind: 'run_now', search: '', typeId: '', status: '' }, { kind: 'run_now' }, true],
  ];
  it.each(cases)('%s', (_name, trigger, event, expected) => {
    expect(triggerFires(trigger, event)).toBe(expected);
  });
});

describe('conditions', () => {
  const states = { T: { status: 'subscribed' as const }, [ALL_WHATSAPP_TYPE_ID]: { status: 'unsubscribed' as const } };
  const cases: Array<[string, RuleCondition, ContactSnapshot, boolean]> = [
    ['equals ignores case and space', prop('equals', ' CUSTOMER '), contact(), true],
    ['equals another value', prop('equals', 'lead'), contact(), false],
    ['not equals', prop('not_equals', 'lead'), contact(), true],
    ['contains', prop('contains', 'stom'), contact(), true],
    ['is set', prop('is_set'), contact(), true],
    ['is set on a missing property', prop('is_set', '', 'missing'), contact(), false],
    ['is not set on a missing property', prop('is_not_set', '', 'missing'), contact(), true],
    ['is not set on an empty value', prop('is_not_set'), contact({ properties: { lifecycle_stage: '  ' } }), true],
    ['number greater (Polish decimal comma)', prop('gt', '12', 'orders'), contact(), true],
    ['number less', prop('lt', '12', 'orders'), contact(), false],
    ['number on a non-number is false', prop('gt', '1'), contact(), false],
    ['date before', prop('before', '2026-02-01', 'signed'), contact(), true],
    ['date after', prop('after', '2026-02-01', 'signed'), contact(), false],
    ['date on a non-date is false', prop('after', '2020-01-01'), contact(), false],
    ['name contains', prop('contains', 'kowal', '', 'name'), contact(), true],
    ['email equals', prop('equals', 'JAN@example.pl', '', 'email'), contact(), true],
    ['has tag', prop('equals', 'VIP', '', 'tags'), contact(), true],
    ['does not have tag', prop('not_equals', 'vip', '', 'tags'), contact(), false],
    ['has no tags', prop('is_not_set', '', '', 'tags'), contact({ tags: [] }), true],
    ['status is', { kind: 'status', typeId: 'T', is: true, status: 'subscribed' }, contact(), true],
    ['status is not', { kind: 'status', typeId: 'M', is: false, status: 'subscribed' }, contact(), true],
    ['channel flag set', { kind: 'status', typeId: ALL_WHATSAPP_TYPE_ID, is: true, status: 'unsubscribed' }, contact(), true],
    ['valid number', { kind: 'phone_valid', valid: true }, contact(), true],
    ['invalid number', { kind: 'phone_valid', valid: true }, contact({ phoneValid: false }), false],
    ['empty group holds', { kind: 'group', op: 'and', children: [] }, contact(), true],
    ['AND needs all', { kind: 'group', op: 'and', children: [prop('equals', 'customer'), { kind: 'phone_valid', valid: false }] }, contact(), false],
    ['OR needs one', { kind: 'group', op: 'or', children: [prop('equals', 'lead'), { kind: 'phone_valid', valid: true }] }, contact(), true],
    [
      'nested: customer AND (vip OR orders > 100)',
      { kind: 'group', op: 'and', children: [prop('equals', 'customer'), { kind: 'group', op: 'or', children: [prop('equals', 'vip', '', 'tags'), prop('gt', '100', 'orders')] }] },
      contact(),
      true,
    ],
    [
      'nested: customer AND (gold OR orders > 100)',
      { kind: 'group', op: 'and', children: [prop('equals', 'customer'), { kind: 'group', op: 'or', children: [prop('equals', 'gold', '', 'tags'), prop('gt', '100', 'orders')] }] },
      contact(),
      false,
    ],
  ];
  it.each(cases)('%s', (_name, condition, c, expected) => {
    expect(conditionHolds(condition, facts(c, states))).toBe(expected);
  });
});

describe('actions', () => {
  const subscribeT: RuleAction = { kind: 'set_status', typeId: 'T', status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Customer' };
  const unsubscribeT: RuleAction = { kind: 'set_status', typeId: 'T', status: 'unsubscribed', legalBasis: '', explanation: 'Churned' };
  const optOut: RuleAction = { kind: 'set_opt_out_all', optedOut: true, explanation: 'Asked' };
  const clearOptOut: RuleAction = { kind: 'set_opt_out_all', optedOut: false, explanation: 'Back' };
  const tag: RuleAction = { kind: 'add_tag', tag: 'auto' };
  type Case = [string, RuleAction, ContactSnapshot, Record<string, Partial<KeyState>>, string];
  const cases: Case[] = [
    ['subscribes', subscribeT, contact(), {}, 'change:T:not_specified>subscribed'],
    ['resubscribes after a user unsubscribe', subscribeT, contact(), { T: { status: 'unsubscribed' } }, 'change:T:unsubscribed>subscribed'],
    ['never lifts the contact\'s own opt-out', subscribeT, contact(), { T: { status: 'unsubscribed', ownOptOut: true } }, 'skip:own_opt_out'],
    ['never subscribes someone who opted out of all WhatsApp themselves', subscribeT, contact(), { [ALL_WHATSAPP_TYPE_ID]: { status: 'unsubscribed', ownOptOut: true } }, 'skip:own_opt_out'],
    ['needs a valid number to subscribe', subscribeT, contact({ phoneValid: false }), {}, 'skip:invalid_phone'],
    ['already subscribed', subscribeT, contact(), { T: { status: 'subscribed' } }, 'skip:already_in_state'],
    ['an archived or missing type', { ...subscribeT, typeId: 'GONE' } as RuleAction, contact(), {}, 'skip:type_unavailable'],
    ['unsubscribes without a valid number', unsubscribeT, contact({ phoneValid: false }), { T: { status: 'subscribed' } }, 'change:T:subscribed>unsubscribed'],
    ['sets the channel flag', optOut, contact(), {}, `change:${ALL_WHATSAPP_TYPE_ID}:not_specified>unsubscribed`],
    ['clears a flag a user set', clearOptOut, contact(), { [ALL_WHATSAPP_TYPE_ID]: { status: 'unsubscribed' } }, `change:${ALL_WHATSAPP_TYPE_ID}:unsubscribed>not_specified`],
    ['never clears a flag the contact set', clearOptOut, contact(), { [ALL_WHATSAPP_TYPE_ID]: { status: 'unsubscribed', ownOptOut: true } }, 'skip:own_opt_out'],
    ['adds a tag', tag, contact(), {}, 'tag:auto'],
    ['a tag already there', tag, contact({ tags: ['AUTO'] }), {}, 'skip:already_in_state'],
  ];
  it.each(cases)('%s', (_name, action, c, states, expected) => {
    const plan = planActions([action], facts(c, states));
    const got = [
      ...plan.changes.map((x) => (x.kind === 'tag' ? `tag:${x.tag}` : `change:${x.typeId}:${x.from}>${x.to}`)),
      ...plan.skips.map((s) => `skip:${s.reason}`),
    ];
    expect(got).toEqual([expected]);
  });

  it('a change is based on the last event the rule saw', () => {
    const plan = planActions([subscribeT], facts(contact(), { T: { status: 'unsubscribed', lastEventId: 'ev-9' } }));
    expect(plan.changes[0]).toMatchObject({ kind: 'status', basedOn: 'ev-9' });
  });

  it('later actions of one rule see what earlier ones decided', () => {
    const plan = planActions([subscribeT, subscribeT, tag, tag], facts());
    expect(plan.changes.map((c) => c.kind)).toEqual(['status', 'tag']);
    expect(plan.skips.map((s) => s.reason)).toEqual(['already_in_state', 'already_in_state']);
  });
});

describe('triggers x conditions x actions', () => {
  // The example rule, against a grid of contacts.
  const rule = ruleDefinition.parse({
    name: 'Customers get order updates',
    trigger: { kind: 'property_changed', target: 'property', property: 'lifecycle_stage', toValue: 'customer' },
    conditions: { kind: 'group', op: 'and', children: [{ kind: 'phone_valid', valid: true }] },
    actions: [{ kind: 'set_status', typeId: 'T', status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Became a customer' }],
  });
  const event = (from: string, to: string, phoneValid = true): TriggerEvent => ({
    kind: 'property_changed',
    before: contact({ properties: { lifecycle_stage: from }, phoneValid }),
    after: contact({ properties: { lifecycle_stage: to }, phoneValid }),
  });
  const cases: Array<[string, TriggerEvent, Record<string, Partial<KeyState>>, string]> = [
    ['lead → customer, valid number', event('lead', 'customer'), {}, 'changed'],
    ['lead → customer, invalid number', event('lead', 'customer', false), {}, 'not matched'],
    ['lead → customer, already subscribed', event('lead', 'customer'), { T: { status: 'subscribed' } }, 'skipped:already_in_state'],
    ['lead → customer, opted out by STOP', event('lead', 'customer'), { T: { status: 'unsubscribed', ownOptOut: true } }, 'skipped:own_opt_out'],
    ['customer → customer (no change)', event('customer', 'customer'), {}, 'not fired'],
    ['customer → lead', event('customer', 'lead'), {}, 'not fired'],
  ];
  it.each(cases)('%s', (_name, ev, states, expected) => {
    if (!triggerFires(rule.trigger, ev)) return expect('not fired').toBe(expected);
    if (ev.kind !== 'property_changed') throw new Error('unexpected event');
    const plan = planContact(rule, facts(ev.after, states));
    const outcome = !plan.matched ? 'not matched' : plan.changes.length ? 'changed' : `skipped:${plan.skips.map((s) => s.reason).join(',')}`;
    expect(outcome).toBe(expected);
  });
});

describe('rule definitions (bad input is refused)', () => {
  const base = {
    name: 'R',
    trigger: { kind: 'contact_created' },
    conditions: { kind: 'group', op: 'and', children: [] },
    actions: [{ kind: 'add_tag', tag: 'x' }],
  };
  it('accepts a minimal rule and fills defaults', () => {
    expect(ruleDefinition.parse({ ...base, trigger: { kind: 'run_now' } }).trigger).toEqual({ kind: 'run_now', search: '', typeId: '', status: '' });
  });
  const bad: Array<[string, unknown]> = [
    ['no name', { ...base, name: ' ' }],
    ['no actions', { ...base, actions: [] }],
    ['subscribe without legal basis', { ...base, actions: [{ kind: 'set_status', typeId: 'T', status: 'subscribed', explanation: 'x' }] }],
    ['change without explanation', { ...base, actions: [{ kind: 'set_status', typeId: 'T', status: 'unsubscribed', explanation: '' }] }],
    ['a comparison without value', { ...base, conditions: { kind: 'group', op: 'and', children: [{ kind: 'property', target: 'property', property: 'x', op: 'equals' }] } }],
    ['a property comparison without property', { ...base, conditions: { kind: 'group', op: 'and', children: [{ kind: 'property', target: 'property', op: 'is_set' }] } }],
    ['a number comparison with text', { ...base, conditions: { kind: 'group', op: 'and', children: [{ kind: 'property', target: 'property', property: 'x', op: 'gt', value: 'ten' }] } }],
    ['a date comparison with text', { ...base, conditions: { kind: 'group', op: 'and', children: [{ kind: 'property', target: 'property', property: 'x', op: 'before', value: 'soon' }] } }],
    ['an unknown trigger', { ...base, trigger: { kind: 'every_minute' } }],
    ['code smuggled in', { ...base, conditions: { kind: 'group', op: 'and', children: [], script: 'x()' } }],
    ['groups nested too deep', { ...base, conditions: { kind: 'group', op: 'and', children: [{ kind: 'group', op: 'and', children: [{ kind: 'group', op: 'and', children: [{ kind: 'group', op: 'and', children: [{ kind: 'group', op: 'and', children: [] }] }] }] }] } }],
  ];
  it.each(bad)('%s', (_name, input) => {
    expect(ruleDefinition.safeParse(input).success).toBe(false);
  });
});

describe('dry-run facts', () => {
  it('shows the values the conditions looked at', () => {
    const conditions: RuleCondition = { kind: 'group', op: 'and', children: [prop('equals', 'customer'), { kind: 'phone_valid', valid: true }, prop('equals', 'vip', '', 'tags')] };
    expect(factsShown(conditions, facts())).toEqual([
      { target: 'property', property: 'lifecycle_stage', value: 'customer' },
      { target: 'phone_valid', property: '', value: 'true' },
      { target: 'tags', property: '', value: 'vip' },
    ]);
  });
});
