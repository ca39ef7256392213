import { useTranslation } from 'react-i18next';
import { FIELD_TARGETS, TRIGGER_KINDS, type RuleTrigger, type TriggerKind } from '../../../../shared/automation/rule-model';
import { CONSENT_STATUSES, type SubscriptionType } from '../../../../shared/domain';

const defaultTrigger = (kind: TriggerKind): RuleTrigger => {
  switch (kind) {
    case 'property_changed':
      return { kind, target: 'property', property: '', toValue: '' };
    case 'inbound_message':
      return { kind, keyword: '' };
    case 'run_now':
      return { kind, search: '', typeId: '', status: '' };
    case 'consent_expiring':
      return { kind, typeId: '', withinDays: 30 };
    case 'contact_created':
    case 'import_finished':
      return { kind };
  }
};

export function TriggerEditor({ trigger, types, onChange, disabled }: { trigger: RuleTrigger; types: readonly SubscriptionType[]; onChange(t: RuleTrigger): void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="toolbar">
      <select aria-label={t('automation.when')} data-testid="trigger-kind" value={trigger.kind} disabled={disabled} onChange={(e) => onChange(defaultTrigger(e.target.value as TriggerKind))}>
        {TRIGGER_KINDS.map((k) => <option key={k} value={k}>{t(`automationTriggers.${k}`)}</option>)}
      </select>
      {trigger.kind === 'property_changed' && (
        <>
          <select aria-label={t('automation.field')} data-testid="trigger-target" value={trigger.target} disabled={disabled} onChange={(e) => onChange({ ...trigger, target: e.target.value as typeof trigger.target })}>
            {FIELD_TARGETS.map((f) => <option key={f} value={f}>{t(`automationFields.${f}`)}</option>)}
          </select>
          {trigger.target === 'property' && (
            <input aria-label={t('automation.property')} placeholder={t('automation.property')} data-testid="trigger-property" value={trigger.property} maxLength={64} disabled={disabled} onChange={(e) => onChange({ ...trigger, property: e.target.value })} />
          )}
          <input
            aria-label={trigger.target === 'tags' ? t('automation.tagValue') : t('automation.toValue')}
            placeholder={trigger.target === 'tags' ? t('automation.tagValue') : t('automation.toValue')}
            data-testid="trigger-value"
            value={trigger.toValue}
            maxLength={500}
            disabled={disabled}
            onChange={(e) => onChange({ ...trigger, toValue: e.target.value })}
          />
        </>
      )}
      {trigger.kind === 'inbound_message' && (
        <input aria-label={t('automation.keyword')} placeholder={t('automation.keyword')} data-testid="trigger-keyword" value={trigger.keyword} maxLength={100} disabled={disabled} onChange={(e) => onChange({ ...trigger, keyword: e.target.value })} />
      )}
      {trigger.kind === 'run_now' && (
        <>
          <input aria-label={t('automation.filterSearch')} placeholder={t('automation.filterSearch')} data-testid="trigger-search" value={trigger.search} maxLength={200} disabled={disabled} onChange={(e) => onChange({ ...trigger, search: e.target.value })} />
          <select aria-label={t('automation.filterStatus')} data-testid="trigger-status" value={trigger.status} disabled={disabled} onChange={(e) => onChange({ ...trigger, status: e.target.value as typeof trigger.status })}>
            <option value="">{t('automation.anyStatus')}</option>
            {CONSENT_STATUSES.map((s) => <option key={s} value={s}>{t(`historyStatuses.${s}`)}</option>)}
            <option value="opted_out_all">{t('automation.channelFlag')}</option>
          </select>
          {trigger.status !== '' && trigger.status !== 'opted_out_all' && (
            <select aria-label={t('automation.filterType')} value={trigger.typeId} disabled={disabled} onChange={(e) => onChange({ ...trigger, typeId: e.target.value })}>
              <option value="">{t('automation.anyType')}</option>
              {types.map((ty) => <option key={ty.id} value={ty.id}>{ty.name}</option>)}
            </select>
          )}
        </>
      )}
      {trigger.kind === 'consent_expiring' && (
        <>
          <select aria-label={t('lifecycle.ruleType')} data-testid="trigger-expiry-type" value={trigger.typeId} disabled={disabled} onChange={(e) => onChange({ ...trigger, typeId: e.target.value })}>
            <option value="">{t('lifecycle.ruleTypePick')}</option>
            {types.filter((ty) => (ty.validForMonths ?? 0) > 0).map((ty) => <option key={ty.id} value={ty.id}>{ty.name}</option>)}
          </select>
          <label className="inline-label">
            <span>{t('lifecycle.ruleWithinDays')}</span>
            <input type="number" min={0} max={366} data-testid="trigger-expiry-days" value={trigger.withinDays} disabled={disabled} onChange={(e) => onChange({ ...trigger, withinDays: Math.trunc(Number(e.target.value)) || 0 })} />
          </label>
        </>
      )}
    </div>
  );
}
