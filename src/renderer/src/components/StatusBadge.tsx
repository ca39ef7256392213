import { useTranslation } from 'react-i18next';
import type { ConsentStatus } from '../../../shared/domain';

// A compact, colour-coded status; the text is always there, colour is only a hint.
// In tables the column header names the type; `label` adds it to the tooltip.
export function StatusBadge({ status, label, compact = false }: { status: ConsentStatus | 'opted_out_all'; label?: string; compact?: boolean }) {
  const { t } = useTranslation();
  const text = t(`status.${status}`);
  return (
    <span className={`badge badge-${status}${compact ? ' badge-compact' : ''}`} title={label ? `${label}: ${text}` : text} data-status={status}>
      {compact ? t(`status.short_${status}`) : text}
    </span>
  );
}
