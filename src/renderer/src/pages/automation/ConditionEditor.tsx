import { useTranslation } from 'react-i18next';
import {
  FIELD_TARGETS,
  MAX_CONDITION_DEPTH,
  PROPERTY_OPERATORS,
  UNARY_OPERATORS,
  type ConditionGroup,
  type PropertyOperator,
  type RuleCondition,
} from '../../../../shared/automation/rule-model';
import { ALL_WHATSAPP_TYPE_ID, CONSENT_STATUSES, type SubscriptionType } from '../../../../shared/domain';

// Conditions are built with pickers only: a group (all / any) of field comparisons,
// subscription statuses, the number's validity and nested groups.

type Props = { group: ConditionGroup; types: readonly SubscriptionType[]; onChange(g: ConditionGroup): void; path: string; depth?: number; disabled: boolean };

const LEAF_KINDS = ['property', 'status', 'phone_valid'] as const;

const defaultLeaf = (kind: (typeof LEAF_KINDS)[number], types: readonly SubscriptionType[]): RuleCondition => {
  if (kind === 'status') return { kind: 'status', typeId: types[0]?.id ?? ALL_WHATSAPP_TYPE_ID, is: true, status: 'subscribed' };
  if (kind === 'phone_valid') return { kind: 'phone_valid', valid: true };
  return { kind: 'property', target: 'property', property: '', op: 'equals', value: '' };
};

function Leaf({ c, types, onChange, path, disabled }: { c: Exclude<RuleCondition, ConditionGroup>; types: readonly SubscriptionType[]; onChange(c: RuleCondition): void; path: string; disabled: boolean }) {
  const { t } = useTranslation();
  const kindPicker = (
    <select aria-label={t('automation.field')} data-testid={`${path}-kind`} value={c.kind} disabled={disabled} onChange={(e) => onChange(defaultLeaf(e.target.value as (typeof LEAF_KINDS)[number], types))}>
      {LEAF_KINDS.map((k) => <option key={k} value={k}>{t(`automationConditionKinds.${k}`)}</option>)}
    </select>
  );
  if (c.kind === 'phone_valid') {
    return (
      <>
        {kindPicker}
        <select aria-label={t('automation.phoneValid')} data-testid={`${path}-valid`} value={String(c.valid)} disabled={disabled} onChange={(e) => onChange({ ...c, valid: e.target.value === 'true' })}>
          <option value="true">{t('automation.phoneValidYes')}</option>
          <option value="false">{t('automation.phoneValidNo')}</option>
        </select>
      </>
    );
  }
  if (c.kind === 'status') {
    return (
      <>
        {kindPicker}
        <select aria-label={t('automation.type')} data-testid={`${path}-type`} value={c.typeId} disabled={disabled} onChange={(e) => onChange({ ...c, typeId: e.target.value })}>
          {types.map((ty) => <option key={ty.id} value={ty.id}>{ty.name}</option>)}
          <option value={ALL_WHATSAPP_TYPE_ID}>{t('automation.channelFlag')}</option>
        </select>
        <select aria-label={t('automation.operator')} value={String(c.is)} disabled={disabled} onChange={(e) => onChange({ ...c, is: e.target.value === 'true' })}>
          <option value="true">{t('automation.is')}</option>
          <option value="false">{t('automation.isNot')}</option>
        </select>
        <select aria-label={t('automation.status')} data-testid={`${path}-status`} value={c.status} disabled={disabled} onChange={(e) => onChange({ ...c, status: e.target.value as typeof c.status })}>
          {CONSENT_STATUSES.map((s) => <option key={s} value={s}>{t(`historyStatuses.${s}`)}</option>)}
        </select>
      </>
    );
  }
  return (
    <>
      {kindPicker}
      <select aria-label={t('automation.field')} data-testid={`${path}-target`} value={c.target} disabled={disabled} onChange={(e) => onChange({ ...c, target: e.target.value as typeof c.target })}>
        {FIELD_TARGETS.map((f) => <option key={f} value={f}>{t(`automationFields.${f}`)}</option>)}
      </select>
      {c.target === 'property' && (
        <input aria-label={t('automation.property')} placeholder={t('automation.property')} data-testid={`${path}-property`} value={c.property} maxLength={64} disabled={disabled} onChange={(e) => onChange({ ...c, property: e.target.value })} />
      )}
      <select aria-label={t('automation.operator')} data-testid={`${path}-op`} value={c.op} disabled={disabled} onChange={(e) => onChange({ ...c, op: e.target.value as PropertyOperator })}>
        {PROPERTY_OPERATORS.map((o) => <option key={o} value={o}>{t(`automationOperators.${o}`)}</option>)}
      </select>
      {!UNARY_OPERATORS.includes(c.op) && (
        <input
          aria-label={t('automation.value')}
          placeholder={t('automation.value')}
          data-testid={`${path}-value`}
          type={c.op === 'before' || c.op === 'after' ? 'date' : c.op === 'gt' || c.op === 'lt' ? 'number' : 'text'}
          value={c.value}
          maxLength={500}
          disabled={disabled}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      )}
    </>
  );
}

export function ConditionEditor({ group, types, onChange, path, depth = 1, disabled }: Props) {
  const { t } = useTranslation();
  const setChild = (i: number, c: RuleCondition) => onChange({ ...group, children: group.children.map((x, j) => (j === i ? c : x)) });
  const remove = (i: number) => onChange({ ...group, children: group.children.filter((_, j) => j !== i) });
  return (
    <div className="rule-group" role="group" aria-label={t(group.op === 'and' ? 'automation.groupAll' : 'automation.groupAny')} data-testid={path}>
      <select aria-label={t('automation.operator')} data-testid={`${path}-op`} value={group.op} disabled={disabled} onChange={(e) => onChange({ ...group, op: e.target.value === 'or' ? 'or' : 'and' })}>
        <option value="and">{t('automation.groupAll')}</option>
        <option value="or">{t('automation.groupAny')}</option>
      </select>
      {group.children.length === 0 && <p className="muted">{t('automation.noConditions')}</p>}
      <ul className="rule-list">
        {group.children.map((c, i) => (
          <li key={i} className="rule-row">
            {c.kind === 'group' ? (
              <ConditionEditor group={c} types={types} onChange={(g) => setChild(i, g)} path={`${path}-${i}`} depth={depth + 1} disabled={disabled} />
            ) : (
              <Leaf c={c} types={types} onChange={(x) => setChild(i, x)} path={`${path}-${i}`} disabled={disabled} />
            )}
            {!disabled && (
              <button type="button" className="link-button" aria-label={t('automation.removeCondition')} data-testid={`${path}-${i}-remove`} onClick={() => remove(i)}>
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <div className="toolbar">
          <button type="button" data-testid={`${path}-add`} onClick={() => onChange({ ...group, children: [...group.children, defaultLeaf('property', types)] })}>
            + {t('automation.addCondition')}
          </button>
          {depth < MAX_CONDITION_DEPTH && (
            <button type="button" data-testid={`${path}-add-group`} onClick={() => onChange({ ...group, children: [...group.children, { kind: 'group', op: group.op === 'and' ? 'or' : 'and', children: [] }] })}>
              + {t('automation.addGroup')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
