import { useTranslation } from 'react-i18next';
import { formatNumber } from '../format';

type Props = {
  selectedCount: number;
  total: number;
  allMatching: boolean;
  onSelectAll(): void;
  onClear(): void;
};

// Says what is selected and offers to widen it to every matching contact.
export function SelectionBar({ selectedCount, total, allMatching, onSelectAll, onClear }: Props) {
  const { t } = useTranslation();
  if (selectedCount === 0) return null;
  return (
    <div className="selection-bar" role="region" aria-label={t('selection.region')} data-testid="selection-bar">
      <span data-testid="selection-count" aria-live="polite">
        {allMatching
          ? t('selection.allMatching', { count: total, formatted: formatNumber(total) })
          : t('selection.selected', { count: selectedCount, formatted: formatNumber(selectedCount) })}
      </span>
      {!allMatching && selectedCount < total && (
        <button type="button" className="link-button" data-testid="select-all-matching" onClick={onSelectAll}>
          {t('selection.selectAllMatching', { count: total, formatted: formatNumber(total) })}
        </button>
      )}
      <button type="button" className="link-button" data-testid="selection-clear" onClick={onClear}>
        {t('selection.clear')}
      </button>
    </div>
  );
}
