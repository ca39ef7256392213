import { z } from 'zod';
import { CONSENT_STATUSES, LEGAL_BASES } from '../domain';

// A rule is data, built with pickers in the editor: a trigger, a tree of conditions and
// a list of actions. No free-text code is ever evaluated. Shared by main (the engine),
// the API contract and the renderer (editor and plain-language summary).

// What a comparison reads from a contact: a free property, or one of the contact's own fields.
export const FIELD_TARGETS = ['property', 'name', 'email', 'tags'] as const;
export type FieldTarget = (typeof FIELD_TARGETS)[number];

export const PROPERTY_OPERATORS = ['equals', 'not_equals', 'contains', 'is_set', 'is_not_set', 'gt', 'lt', 'before', 'after'] as const;
export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];
// Operators that compare with nothing.
export const UNARY_OPERATORS: readonly PropertyOperator[] = ['is_set', 'is_not_set'];

const propertyName = z.string().trim().max(64);
const shortValue = z.string().trim().max(500);

const fieldRef = {
  target: z.enum(FIELD_TARGETS),
  // The free property's name when target is 'property'; ignored otherwise.
  property: propertyName.default(''),
};

const needsProperty = (v: { target: FieldTarget; property: string }) => v.target !== 'property' || v.property.length > 0;
const PROPERTY_MESSAGE = { message: 'Pick the property to look at.', path: ['property'] };

export const TRIGGER_KINDS = ['contact_created', 'property_changed', 'inbound_message', 'import_finished', 'run_now', 'consent_expiring'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export const ruleTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contact_created') }).strict(),
  z
    .object({
      kind: z.literal('property_changed'),
      ...fieldRef,
      // The new value that fires the rule; '' fires on any change. For tags: the tag added.
      toValue: shortValue.default(''),
    })
    .strict()
    .refine(needsProperty, PROPERTY_MESSAGE),
  // keyword '' fires on every inbound message; otherwise the message must contain it as a word.
  z.object({ kind: z.literal('inbound_message'), keyword: z.string().trim().max(100).default('') }).strict(),
  z.object({ kind: z.literal('import_finished') }).strict(),
  // A subscription to the type whose term ("valid for N months") ends within N days, or has
  // ended. Fires once per contact and term; checked a few times a day.
  z
    .object({
      kind: z.literal('consent_expiring'),
      typeId: z.string().min(1, 'Pick the subscription type.').max(128),
      withinDays: z.number().int('Whole days only').min(0).max(366).default(30),
    })
    .strict(),
  z
    .object({
      kind: z.literal('run_now'),
      // The contacts a manual run looks at, as on the contacts list ('' = all).
      search: z.string().max(200).default(''),
      typeId: z.string().max(128).default(''),
      status: z.enum([...CONSENT_STATUSES, 'opted_out_all']).or(z.literal('')).default(''),
    })
    .strict(),
]);
export type RuleTrigger = z.infer<typeof ruleTrigger>;

export const propertyCondition = z
  .object({ kind: z.literal('property'), ...fieldRef, op: z.enum(PROPERTY_OPERATORS), value: shortValue.default('') })
  .strict()
  .refine(needsProperty, PROPERTY_MESSAGE)
  .refine((c) => UNARY_OPERATORS.includes(c.op) || c.value.length > 0, { message: 'Enter the value to compare with.', path: ['value'] })
  .refine((c) => !['gt', 'lt'].includes(c.op) || Number.isFinite(Number(c.value)), { message: 'Enter a number.', path: ['value'] })
  .refine((c) => !['before', 'after'].includes(c.op) || !Number.isNaN(Date.parse(c.value)), { message: 'Enter a date (YYYY-MM-DD).', path: ['value'] });

export const statusCondition = z
  .object({
    kind: z.literal('status'),
    // A subscription type id, or ALL_WHATSAPP_TYPE_ID for the channel-wide flag.
    typeId: z.string().min(1).max(128),
    is: z.boolean().default(true),
    status: z.enum(CONSENT_STATUSES),
  })
  .strict();

export const phoneCondition = z.object({ kind: z.literal('phone_valid'), valid: z.boolean() }).strict();

export type PropertyCondition = z.infer<typeof propertyCondition>;
export type StatusCondition = z.infer<typeof statusCondition>;
export type PhoneCondition = z.infer<typeof phoneCondition>;
export type ConditionGroup = { kind: 'group'; op: 'and' | 'or'; children: RuleCondition[] };
export type RuleCondition = PropertyCondition | StatusCondition | PhoneCondition | ConditionGroup;

export const MAX_CONDITION_DEPTH = 4;

export const conditionGroup: z.ZodType<ConditionGroup> = z.lazy(() =>
  z
    .object({
      kind: z.literal('group'),
      op: z.enum(['and', 'or']),
      children: z.array(z.union([propertyCondition, statusCondition, phoneCondition, conditionGroup])).max(30),
    })
    .strict(),
);

const depthOf = (c: RuleCondition): number => (c.kind === 'group' ? 1 + Math.max(0, ...c.children.map(depthOf)) : 0);

export const SET_STATUSES = CONSENT_STATUSES;

export const setStatusAction = z
  .object({
    kind: z.literal('set_status'),
    typeId: z.string().min(1).max(128),
    status: z.enum(SET_STATUSES),
    legalBasis: z.enum(LEGAL_BASES).or(z.literal('')).default(''),
    explanation: z.string().trim().min(1, 'Write why the rule makes this change.').max(2000),
  })
  .strict()
  .refine((a) => a.status !== 'subscribed' || a.legalBasis !== '', { message: 'Choose the legal basis for subscribing.', path: ['legalBasis'] });

export const optOutAllAction = z
  .object({ kind: z.literal('set_opt_out_all'), optedOut: z.boolean(), explanation: z.string().trim().min(1, 'Write why the rule makes this change.').max(2000) })
  .strict();

export const addTagAction = z.object({ kind: z.literal('add_tag'), tag: z.string().trim().min(1).max(64) }).strict();

export const ruleAction = z.union([setStatusAction, optOutAllAction, addTagAction]);
export type SetStatusAction = z.infer<typeof setStatusAction>;
export type OptOutAllAction = z.infer<typeof optOutAllAction>;
export type AddTagAction = z.infer<typeof addTagAction>;
export type RuleAction = SetStatusAction | OptOutAllAction | AddTagAction;

export const ruleDefinition = z
  .object({
    name: z.string().trim().min(1, 'Name the rule.').max(120),
    trigger: ruleTrigger,
    conditions: conditionGroup,
    actions: z.array(ruleAction).min(1, 'Add at least one action.').max(10),
  })
  .strict()
  .refine((r) => depthOf(r.conditions) <= MAX_CONDITION_DEPTH, { message: `Condition groups nest at most ${MAX_CONDITION_DEPTH} deep.`, path: ['conditions'] });
export type RuleDefinition = z.infer<typeof ruleDefinition>;

// A stored rule: the current version of its definition. Every save is a new version.
export type Rule = RuleDefinition & {
  id: string;
  version: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
};

// already_recorded: the same trigger was handled before (here or on another device).
export const SKIP_REASONS = ['already_in_state', 'own_opt_out', 'invalid_phone', 'type_unavailable', 'already_recorded'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const emptyConditions = (): ConditionGroup => ({ kind: 'group', op: 'and', children: [] });
