import type { TFunction } from 'i18next';
import { UNARY_OPERATORS, type PropertyOperator, type RuleAction, type RuleCondition, type RuleDefinition, type FieldTarget } from '../../../../shared/automation/rule-model';
import { ALL_WHATSAPP_TYPE_ID, type SubscriptionType } from '../../../../shared/domain';

// The plain-language summary of a rule, in the chosen language: what fires it, for whom,
// and what it changes. Built from the same definition the engine runs.

export function fieldLabel(t: TFunction, target: FieldTarget, property: string): string {
  return target === 'property' ? t('automationSummary.propertyField', { name: property }) : t(`automationFields.${target}`).toLocaleLowerCase();
}

export function typeLabel(t: TFunction, types: readonly SubscriptionType[], typeId: string): string {
  if (typeId === ALL_WHATSAPP_TYPE_ID) return t('automation.channelFlag');
  return types.find((x) => x.id === typeId)?.name ?? t('automationSummary.unknownType');
}

// Tags read as having a tag, not as a field with a value.
const TAG_SENTENCES: Partial<Record<PropertyOperator, string>> = {
  equals: 'tagHas', not_equals: 'tagHasNot', contains: 'tagContains', is_set: 'tagsAny', is_not_set: 'tagsNone',
};

const statusLabel = (t: TFunction, status: string) => t(`historyStatuses.${status}`).toLocaleLowerCase();

export function triggerSentence(t: TFunction, rule: Pick<RuleDefinition, 'trigger'>): string {
  const tr = rule.trigger;
  switch (tr.kind) {
    case 'property_changed':
      if (tr.target === 'tags') return tr.toValue ? t('automationSummary.tag_added', { value: tr.toValue }) : t('automationSummary.tag_added_any');
      return tr.toValue
        ? t('automationSummary.property_changed_to', { field: fieldLabel(t, tr.target, tr.property), value: tr.toValue })
        : t('automationSummary.property_changed_any', { field: fieldLabel(t, tr.target, tr.property) });
    case 'inbound_message':
      return tr.keyword ? t('automationSummary.inbound_keyword', { value: tr.keyword }) : t('automationSummary.inbound_any');
    case 'run_now':
      return tr.search || tr.status ? t('automationSummary.run_now_filter') : t('automationSummary.run_now');
    case 'consent_expiring':
      return t('lifecycle.ruleSummary', { count: tr.withinDays });
    default:
      return t(`automationSummary.${tr.kind}`);
  }
}

export function conditionText(t: TFunction, c: RuleCondition, types: readonly SubscriptionType[]): string {
  switch (c.kind) {
    case 'group': {
      const items = c.children.map((x) => conditionText(t, x, types)).join('; ');
      return c.children.length === 1 ? items : t(c.op === 'and' ? 'automationSummary.all' : 'automationSummary.any', { items });
    }
    case 'property': {
      const tagKey = c.target === 'tags' ? TAG_SENTENCES[c.op] : undefined;
      if (tagKey) return t(`automationSummary.${tagKey}`, { value: c.value });
      const field = fieldLabel(t, c.target, c.property);
      const op = t(`automationOperators.${c.op}`);
      return UNARY_OPERATORS.includes(c.op) ? t('automationSummary.propertyUnary', { field, op }) : t('automationSummary.propertyCond', { field, op, value: c.value });
    }
    case 'status':
      return t(c.is ? 'automationSummary.statusIs' : 'automationSummary.statusIsNot', { type: typeLabel(t, types, c.typeId), status: statusLabel(t, c.status) });
    case 'phone_valid':
      return t(c.valid ? 'automationSummary.phoneValid' : 'automationSummary.phoneInvalid');
  }
}

export function actionText(t: TFunction, a: RuleAction, types: readonly SubscriptionType[]): string {
  if (a.kind === 'add_tag') return t('automationSummary.addTag', { tag: a.tag });
  if (a.kind === 'set_opt_out_all') return t(a.optedOut ? 'automationSummary.optOutAll' : 'automationSummary.clearOptOutAll', { explanation: a.explanation });
  const args = { type: typeLabel(t, types, a.typeId), status: statusLabel(t, a.status), explanation: a.explanation };
  return a.legalBasis
    ? t('automationSummary.setStatus', { ...args, basis: t(`historyBases.${a.legalBasis}`) })
    : t('automationSummary.setStatusNoBasis', args);
}

export function ruleSummary(t: TFunction, rule: Pick<RuleDefinition, 'trigger' | 'conditions' | 'actions'>, types: readonly SubscriptionType[]): string[] {
  const who = rule.conditions.children.length === 0
    ? t('automationSummary.noConditions')
    : t('automationSummary.conditions', { conditions: conditionText(t, rule.conditions, types) });
  return [
    `${triggerSentence(t, rule)}, ${who},`,
    `${t('automationSummary.then')} ${rule.actions.map((a) => actionText(t, a, types)).join('; ')}.`,
    t('automationSummary.safety'),
  ];
}
