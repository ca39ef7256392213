import { ALL_WHATSAPP_TYPE_ID, type ConsentStatus } from '../domain';
import type {
  FieldTarget,
  PropertyCondition,
  RuleAction,
  RuleCondition,
  RuleDefinition,
  RuleTrigger,
  SkipReason,
} from './rule-model';

// The pure rule engine: does a trigger event fire a rule, do its conditions hold for a
// contact, and which changes would its actions make (or why not). The service around it
// does the reading and writing; everything here is synchronous and deterministic.

export type ContactSnapshot = {
  id: string;
  name: string;
  email: string;
  phoneValid: boolean;
  properties: Record<string, string>;
  tags: readonly string[];
};

export type KeyState = { status: ConsentStatus; ownOptOut: boolean; lastEventId: string };

export type ContactFacts = {
  contact: ContactSnapshot;
  // The current state of (contact, type); the channel-wide flag under ALL_WHATSAPP_TYPE_ID.
  state(typeId: string): KeyState;
  // False for a type that does not exist (any more) or is archived.
  typeUsable(typeId: string): boolean;
};

export type TriggerEvent =
  | { kind: 'contact_created' }
  | { kind: 'property_changed'; before: ContactSnapshot; after: ContactSnapshot }
  | { kind: 'inbound_message'; body: string }
  | { kind: 'import_finished' }
  | { kind: 'run_now' }
  | { kind: 'consent_expiring' };

export type PlannedChange =
  | { kind: 'status'; actionIndex: number; typeId: string; from: ConsentStatus; to: ConsentStatus; basedOn: string; action: RuleAction }
  | { kind: 'tag'; actionIndex: number; tag: string };

export type PlannedSkip = { actionIndex: number; reason: SkipReason };

export type ContactPlan = { matched: boolean; changes: PlannedChange[]; skips: PlannedSkip[] };

// Comparisons ignore case, Unicode form and surrounding space: "Customer " equals "customer".
// Plain ASCII (most values) skips Unicode normalisation, which dominates evaluation time.
const ASCII = /^[\x20-\x7e]*$/;
export const normaliseText = (s: string) => (ASCII.test(s) ? s.trim().toLowerCase() : s.normalize('NFKC').trim().toLowerCase());

const fieldValues = (c: ContactSnapshot, target: FieldTarget, property: string): string[] => {
  switch (target) {
    case 'name':
      return [c.name];
    case 'email':
      return [c.email];
    case 'tags':
      return [...c.tags];
    default:
      return [c.properties[property] ?? ''];
  }
};

// Polish spreadsheets write "12,5".
const asNumber = (s: string) => {
  const t = s.trim().replace(/\s/g, '').replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
};
const asTime = (s: string) => (s.trim() === '' ? Number.NaN : Date.parse(s.trim()));

const compare = (op: PropertyCondition['op'], actual: string, expected: string): boolean => {
  const a = normaliseText(actual);
  const e = normaliseText(expected);
  switch (op) {
    case 'equals':
      return a === e;
    case 'not_equals':
      return a !== e;
    case 'contains':
      return a.includes(e);
    case 'is_set':
      return a !== '';
    case 'is_not_set':
      return a === '';
    case 'gt':
    case 'lt': {
      const x = asNumber(actual);
      const y = asNumber(expected);
      if (Number.isNaN(x) || Number.isNaN(y)) return false;
      return op === 'gt' ? x > y : x < y;
    }
    case 'before':
    case 'after': {
      const x = asTime(actual);
      const y = asTime(expected);
      if (Number.isNaN(x) || Number.isNaN(y)) return false;
      return op === 'before' ? x < y : x > y;
    }
  }
};

export function propertyHolds(c: PropertyCondition, contact: ContactSnapshot): boolean {
  const values = fieldValues(contact, c.target, c.property).filter((v) => normaliseText(v) !== '');
  // A list field (tags) holds when any element does; the negative forms when none does.
  if (c.op === 'is_not_set') return values.length === 0;
  if (c.op === 'not_equals') return !values.some((v) => compare('equals', v, c.value));
  return values.some((v) => compare(c.op, v, c.value));
}

export function conditionHolds(c: RuleCondition, facts: ContactFacts): boolean {
  switch (c.kind) {
    case 'group':
      // An empty group places no condition.
      if (c.children.length === 0) return true;
      return c.op === 'and' ? c.children.every((x) => conditionHolds(x, facts)) : c.children.some((x) => conditionHolds(x, facts));
    case 'property':
      return propertyHolds(c, facts.contact);
    case 'status':
      return (facts.state(c.typeId).status === c.status) === c.is;
    case 'phone_valid':
      return facts.contact.phoneValid === c.valid;
  }
}

const words = (s: string) => ` ${normaliseText(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;

export function triggerFires(trigger: RuleTrigger, event: TriggerEvent): boolean {
  if (trigger.kind !== event.kind) return false;
  switch (trigger.kind) {
    case 'property_changed': {
      if (event.kind !== 'property_changed') return false;
      const before = fieldValues(event.before, trigger.target, trigger.property);
      const after = fieldValues(event.after, trigger.target, trigger.property);
      if (trigger.target === 'tags') {
        const had = new Set(before.map(normaliseText));
        const added = after.map(normaliseText).filter((t) => !had.has(t));
        return trigger.toValue === '' ? added.length > 0 : added.includes(normaliseText(trigger.toValue));
      }
      const from = before[0] ?? '';
      const to = after[0] ?? '';
      if (from === to) return false;
      return trigger.toValue === '' || normaliseText(to) === normaliseText(trigger.toValue);
    }
    case 'inbound_message': {
      if (event.kind !== 'inbound_message') return false;
      const keyword = words(trigger.keyword);
      return keyword.trim() === '' || words(event.body).includes(keyword);
    }
    default:
      return true;
  }
}

const changesAway = (current: KeyState, to: ConsentStatus) => current.status === 'unsubscribed' && to !== 'unsubscribed';

// The changes a rule's actions would make for one contact whose conditions hold. Safety
// comes first: a contact's own opt-out is never lifted, and a subscribe needs a valid number.
export function planActions(actions: readonly RuleAction[], facts: ContactFacts): Omit<ContactPlan, 'matched'> {
  const changes: PlannedChange[] = [];
  const skips: PlannedSkip[] = [];
  // Later actions see what earlier ones of the same rule decided.
  const decided = new Map<string, ConsentStatus>();
  const stateOf = (typeId: string): KeyState => {
    const s = facts.state(typeId);
    const d = decided.get(typeId);
    return d ? { ...s, status: d, ownOptOut: false } : s;
  };
  const tags = new Set(facts.contact.tags.map(normaliseText));
  actions.forEach((action, actionIndex) => {
    const skip = (reason: SkipReason) => skips.push({ actionIndex, reason });
    if (action.kind === 'add_tag') {
      if (tags.has(normaliseText(action.tag))) return skip('already_in_state');
      tags.add(normaliseText(action.tag));
      changes.push({ kind: 'tag', actionIndex, tag: action.tag });
      return;
    }
    const typeId = action.kind === 'set_status' ? action.typeId : ALL_WHATSAPP_TYPE_ID;
    const to: ConsentStatus = action.kind === 'set_status' ? action.status : action.optedOut ? 'unsubscribed' : 'not_specified';
    if (action.kind === 'set_status' && !facts.typeUsable(typeId)) return skip('type_unavailable');
    const current = stateOf(typeId);
    if (current.status === to) return skip('already_in_state');
    if (changesAway(current, to) && current.ownOptOut) return skip('own_opt_out');
    if (to === 'subscribed') {
      const channel = stateOf(ALL_WHATSAPP_TYPE_ID);
      // Someone who opted out of all WhatsApp themselves is not subscribed to anything by a rule.
      if (channel.status === 'unsubscribed' && channel.ownOptOut) return skip('own_opt_out');
      if (!facts.contact.phoneValid) return skip('invalid_phone');
    }
    decided.set(typeId, to);
    changes.push({ kind: 'status', actionIndex, typeId, from: current.status, to, basedOn: current.lastEventId, action });
  });
  return { changes, skips };
}

export function planContact(rule: Pick<RuleDefinition, 'conditions' | 'actions'>, facts: ContactFacts): ContactPlan {
  if (!conditionHolds(rule.conditions, facts)) return { matched: false, changes: [], skips: [] };
  return { matched: true, ...planActions(rule.actions, facts) };
}

export type FactShown = { target: FieldTarget | 'phone_valid' | 'status'; property: string; value: string };

// The contact's values for every field the conditions look at: the "why" of a dry run.
export function factsShown(conditions: RuleCondition, facts: ContactFacts): FactShown[] {
  const out = new Map<string, FactShown>();
  const walk = (c: RuleCondition) => {
    if (c.kind === 'group') return c.children.forEach(walk);
    if (c.kind === 'property') {
      const value = fieldValues(facts.contact, c.target, c.property).join(', ');
      out.set(`${c.target}:${c.property}`, { target: c.target, property: c.target === 'property' ? c.property : '', value });
    } else if (c.kind === 'phone_valid') out.set('phone', { target: 'phone_valid', property: '', value: String(facts.contact.phoneValid) });
    else out.set(`status:${c.typeId}`, { target: 'status', property: c.typeId, value: facts.state(c.typeId).status });
  };
  walk(conditions);
  return [...out.values()];
}
