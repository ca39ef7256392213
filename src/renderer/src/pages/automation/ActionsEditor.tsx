import { useTranslation } from 'react-i18next';
import { SET_STATUSES, type RuleAction } from '../../../../shared/automation/rule-model';
import { LEGAL_BASES, type LegalBasis, type SubscriptionType } from '../../../../shared/domain';

const KINDS = ['set_status', 'set_opt_out_all', 'add_tag'] as const;

const defaultAction = (kind: (typeof KINDS)[number], types: readonly SubscriptionType[]): RuleAction => {
  if (kind === 'set_status') return { kind, typeId: types[0]?.id ?? '', status: 'subscribed', legalBasis: '', explanation: '' };
  if (kind === 'set_opt_out_all') return { kind, optedOut: true, explanation: '' };
  return { kind, tag: '' };
};

function ActionRow({ a, i, types, onChange, disabled }: { a: RuleAction; i: number; types: readonly SubscriptionType[]; onChange(a: RuleAction): void; disabled: boolean }) {
  const { t } = useTranslation();
  const p = `action-${i}`;
  return (
    <>
      <select aria-label={t('automation.then')} data-testid={`${p}-kind`} value={a.kind} disabled={disabled} onChange={(e) => onChange(defaultAction(e.target.value as (typeof KINDS)[number], types))}>
        {KINDS.map((k) => <option key={k} value={k}>{t(`automationActions.${k}`)}</option>)}
      </select>
      {a.kind === 'add_tag' && (
        <input aria-label={t('automation.tag')} placeholder={t('automation.tag')} data-testid={`${p}-tag`} value={a.tag} maxLength={64} disabled={disabled} onChange={(e) => onChange({ ...a, tag: e.target.value })} />
      )}
      {a.kind === 'set_status' && (
        <>
          <select aria-label={t('automation.type')} data-testid={`${p}-type`} value={a.typeId} disabled={disabled} onChange={(e) => onChange({ ...a, typeId: e.target.value })}>
            {types.map((ty) => <option key={ty.id} value={ty.id}>{ty.name}</option>)}
          </select>
          <select aria-label={t('automation.status')} data-testid={`${p}-status`} value={a.status} disabled={disabled} onChange={(e) => onChange({ ...a, status: e.target.value as typeof a.status })}>
            {SET_STATUSES.map((s) => <option key={s} value={s}>{t(`historyStatuses.${s}`)}</option>)}
          </select>
          <select aria-label={t('automation.legalBasis')} data-testid={`${p}-basis`} value={a.legalBasis} disabled={disabled} onChange={(e) => onChange({ ...a, legalBasis: e.target.value as LegalBasis | '' })}>
            <option value="">{t('automation.chooseBasis')}</option>
            {LEGAL_BASES.map((b) => <option key={b} value={b}>{t(`historyBases.${b}`)}</option>)}
          </select>
        </>
      )}
      {a.kind === 'set_opt_out_all' && (
        <select aria-label={t('automation.channelFlag')} data-testid={`${p}-flag`} value={String(a.optedOut)} disabled={disabled} onChange={(e) => onChange({ ...a, optedOut: e.target.value === 'true' })}>
          <option value="true">{t('automation.optOutSet')}</option>
          <option value="false">{t('automation.optOutClear')}</option>
        </select>
      )}
      {a.kind !== 'add_tag' && (
        <input aria-label={t('automation.explanation')} placeholder={t('automation.explanation')} data-testid={`${p}-explanation`} className="grow" value={a.explanation} maxLength={2000} disabled={disabled} onChange={(e) => onChange({ ...a, explanation: e.target.value })} />
      )}
    </>
  );
}

export function ActionsEditor({ actions, types, onChange, disabled }: { actions: RuleAction[]; types: readonly SubscriptionType[]; onChange(a: RuleAction[]): void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <ul className="rule-list">
        {actions.map((a, i) => (
          <li key={i} className="rule-row">
            <ActionRow a={a} i={i} types={types} disabled={disabled} onChange={(x) => onChange(actions.map((y, j) => (j === i ? x : y)))} />
            {!disabled && actions.length > 1 && (
              <button type="button" className="link-button" aria-label={t('automation.removeAction')} data-testid={`action-${i}-remove`} onClick={() => onChange(actions.filter((_, j) => j !== i))}>
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && actions.length < 10 && (
        <div className="toolbar">
          <button type="button" data-testid="action-add" onClick={() => onChange([...actions, defaultAction('set_status', types)])}>
            + {t('automation.addAction')}
          </button>
        </div>
      )}
    </div>
  );
}
