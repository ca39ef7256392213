import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ConsentStatus } from '../../../shared/domain';

type BadgeProps = { status: ConsentStatus | 'opted_out_all'; label?: string; compact?: boolean };

// A compact, colour-coded status; the text is always there, colour is only a hint.
// In tables the column header names the type; `label` adds it to the tooltip.
export function StatusBadge(props: BadgeProps) {
  const { t } = useTranslation();
  return statusBadge(t, props);
}

// The same badge drawn with the caller's `t`: the contacts table shows three per row, and a
// translation hook in each would be most of the table's render time.
export function statusBadge(t: TFunction, { status, label, compact = false }: BadgeProps) {
  const text = t(`status.${status}`);
  return (
    <span className={`badge badge-${status}${compact ? ' badge-compact' : ''}`} title={label ? `${label}: ${text}` : text} data-status={status}>
      {compact ? t(`status.short_${status}`) : text}
    </span>
  );
}
