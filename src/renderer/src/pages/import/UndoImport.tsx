import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../format';
import { useImport } from '../../stores/import-store';

// Undoing an import's consent changes (compensating events; contacts stay), asked twice:
// a wrong file can have changed thousands of statuses, and so can its undo.
export function UndoImportButton({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const { undoImport, undoing, undoResult } = useImport();
  const [asking, setAsking] = useState(false);
  if (undoResult?.jobId === jobId) {
    return (
      <p className="ok-note" data-testid="import-undo-result">
        {t('import.undoResult', { restored: formatNumber(undoResult.restored), skipped: formatNumber(undoResult.skipped) })}
      </p>
    );
  }
  if (!asking) {
    return <button data-testid="import-undo" disabled={!!undoing} onClick={() => setAsking(true)}>{t('import.undo')}</button>;
  }
  return (
    <span className="toolbar warn-note" data-testid="import-undo-confirm">
      <span>{t('import.undoConfirm')}</span>
      <button className="danger" data-testid="import-undo-yes" disabled={!!undoing} onClick={() => void undoImport(jobId)}>{t('import.undoYes')}</button>
      <button disabled={!!undoing} onClick={() => setAsking(false)}>{t('import.undoNo')}</button>
    </span>
  );
}

export function RecentImports() {
  const { t } = useTranslation();
  const recent = useImport((s) => s.recent);
  if (recent.length === 0) return null;
  return (
    <div className="card stack" data-testid="import-recent">
      <h2>{t('import.recentTitle')}</h2>
      {recent.map((r) => (
        <div key={r.jobId} className="toolbar" data-testid="import-recent-row">
          <span>{r.fileName}</span>
          <span className="muted">{t('import.recentDetails', { at: formatDateTime(r.at), by: r.byName, events: formatNumber(r.eventsRecorded) })}</span>
          <span className="spacer" />
          {r.undone ? (
            <span className="muted" data-testid="import-undone">{t('import.undoneNote', { at: formatDateTime(r.undone.at), by: r.undone.byName, restored: formatNumber(r.undone.restored) })}</span>
          ) : (
            r.eventsRecorded > 0 && <UndoImportButton jobId={r.jobId} />
          )}
        </div>
      ))}
    </div>
  );
}
