import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../format';
import { useBulk } from '../../stores/bulk-store';
import { errorText } from '../errors';
import { Modal } from '../Modal';
import { useBulkLabels } from './bulk-labels';

// Past bulk changes, newest first: what each did, its state, and undo (or resume, for
// one a crash interrupted).
export function BulkHistory() {
  const { t } = useTranslation();
  const bulk = useBulk();
  const labels = useBulkLabels();
  const note = bulk.historyNote;
  return (
    <Modal title={t('bulk.history')} onClose={bulk.closeHistory} testId="bulk-history" wide>
      <div className="stack">
        {bulk.history.length === 0 && <p className="muted" data-testid="bulk-history-empty">{t('bulk.historyEmpty')}</p>}
        {bulk.history.length > 0 && (
          <table className="data-table" data-testid="bulk-history-table">
            <thead>
              <tr><th>{t('bulk.historyWhen')}</th><th>{t('bulk.historyWhat')}</th><th>{t('bulk.historyState')}</th><th>{t('bulk.historyChanged')}</th><th /></tr>
            </thead>
            <tbody>
              {bulk.history.map((b) => (
                <tr key={b.bulkId} data-testid={`bulk-history-${b.bulkId}`}>
                  <td>{formatDateTime(b.at)}<br /><span className="muted">{b.actorName}</span></td>
                  <td>{labels.restate(b.target, b.status, b.legalBasis)}<br /><span className="muted">{b.explanation}</span></td>
                  <td data-testid="bulk-history-state">{b.undone ? t('bulk.state_undone') : t(`bulk.state_${b.state}`)}</td>
                  <td>{formatNumber(b.changed)}</td>
                  <td className="toolbar">
                    {!b.undone && (b.state === 'interrupted' || b.state === 'cancelled') && (
                      <button data-testid="bulk-history-resume" disabled={!!bulk.historyBusy} onClick={() => void bulk.resumePast(b.bulkId)}>{t('bulk.resume')}</button>
                    )}
                    {!b.undone && b.state !== 'running' && b.changed > 0 && (
                      <button data-testid="bulk-history-undo" disabled={!!bulk.historyBusy} onClick={() => void bulk.undoPast(b.bulkId)}>{t('bulk.undo')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {bulk.historyBusy && <progress data-testid="bulk-history-progress" max={bulk.progress.total || undefined} value={bulk.progress.done} aria-label={t('bulk.applying')} />}
        {note?.undo && (
          <p className="ok-note" role="status" data-testid="bulk-history-note">{t('bulk.undone', { restored: formatNumber(note.undo.restored), skipped: formatNumber(note.undo.skipped) })}</p>
        )}
        {note?.result && (
          <p className="ok-note" role="status" data-testid="bulk-history-note">{t(`bulk.result_${note.result.state}`, { count: note.result.changed, formatted: formatNumber(note.result.changed) })}</p>
        )}
        {!!bulk.error && <p role="alert" className="error">{errorText(t, bulk.error)}</p>}
      </div>
    </Modal>
  );
}
