import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_VALID_FOR_MONTHS } from '../../../../shared/consent/consent-expiry';
import { PURPOSES, type Purpose, type SubscriptionType } from '../../../../shared/domain';

export type TypeFormValues = { name: string; purpose: Purpose; businessNumber: string; phoneNumberId: string; businessName: string; validForMonths: number };

type Props = { initial?: SubscriptionType; submitLabel: string; onSubmit(values: TypeFormValues): Promise<void>; testId: string };

// One business number and purpose; the business name is what the opt-in disclosure shows.
export function TypeForm({ initial, submitLabel, onSubmit, testId }: Props) {
  const { t } = useTranslation();
  const [v, setV] = useState<TypeFormValues>({
    name: initial?.name ?? '',
    purpose: initial?.purpose ?? 'marketing',
    businessNumber: initial?.businessNumber ?? '',
    phoneNumberId: initial?.phoneNumberId ?? '',
    businessName: initial?.businessName ?? '',
    validForMonths: initial?.validForMonths ?? 0,
  });
  const [busy, setBusy] = useState(false);
  const field = (key: Exclude<keyof TypeFormValues, 'validForMonths'>) => ({
    value: v[key],
    onChange: (e: { target: { value: string } }) => setV({ ...v, [key]: e.target.value }),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit(v);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="type-form" onSubmit={submit} data-testid={testId} aria-busy={busy}>
      <label>
        {t('types.name')}
        <input data-testid="type-name" required maxLength={120} {...field('name')} placeholder={t('types.namePlaceholder')} />
      </label>
      <label>
        {t('types.purpose')}
        <select data-testid="type-purpose" value={v.purpose} onChange={(e) => setV({ ...v, purpose: e.target.value === 'transactional' ? 'transactional' : 'marketing' })}>
          {PURPOSES.map((p) => <option key={p} value={p}>{t(`purpose.${p}`)}</option>)}
        </select>
      </label>
      <label>
        {t('types.businessNumber')}
        <input data-testid="type-number" required inputMode="tel" maxLength={32} {...field('businessNumber')} placeholder="+48 22 123 45 67" />
      </label>
      <label>
        {t('types.businessName')}
        <input data-testid="type-business" required maxLength={120} {...field('businessName')} />
      </label>
      <label>
        {t('types.phoneNumberId')}
        <input data-testid="type-phone-id" inputMode="numeric" maxLength={64} {...field('phoneNumberId')} />
      </label>
      <label>
        {t('lifecycle.validForMonths')}
        <input
          data-testid="type-valid-months"
          type="number"
          min={0}
          max={MAX_VALID_FOR_MONTHS}
          step={1}
          required
          aria-describedby={`${testId}-valid-hint`}
          value={Number.isNaN(v.validForMonths) ? '' : v.validForMonths}
          onChange={(e) => setV({ ...v, validForMonths: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
        />
        <span className="muted small" id={`${testId}-valid-hint`}>{t('lifecycle.validForMonthsHint')}</span>
      </label>
      <div className="type-form-actions">
        <button type="submit" className="primary" data-testid={`${testId}-submit`} disabled={busy}>{submitLabel}</button>
      </div>
    </form>
  );
}
