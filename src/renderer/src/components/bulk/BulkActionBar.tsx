import { useTranslation } from 'react-i18next';
import type { BulkRequest } from '../../../../shared/api/bulk-channels';
import { formatNumber } from '../../format';
import { useBulk } from '../../stores/bulk-store';
import { BulkDialog } from './BulkDialog';
import { BulkHistory } from './BulkHistory';

type Props = { selection: BulkRequest['selection']; count: number; onDone(): void };

// "Change status…" for the selected or all matching contacts (SPEC 6), and the list of
// past bulk changes. Mounted whether or not anything is selected: the dialog it opens
// must outlive the selection (contacts leave the filter as their status changes).
export function BulkActionBar({ selection, count, onDone }: Props) {
  const { t } = useTranslation();
  const bulk = useBulk();
  return (
    <>
      {count > 0 && (
        <button className="primary" data-testid="bulk-open" onClick={() => bulk.openDialog(selection, count)}>
          {t('bulk.open', { count, formatted: formatNumber(count) })}
        </button>
      )}
      <button data-testid="bulk-history-open" onClick={() => void bulk.openHistory()}>{t('bulk.history')}</button>
      {bulk.open && <BulkDialog onDone={onDone} />}
      {bulk.historyOpen && <BulkHistory />}
    </>
  );
}
