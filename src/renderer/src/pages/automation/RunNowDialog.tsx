import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DryRunReport } from '../../../../shared/api/automation-channels';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { Modal } from '../../components/Modal';
import { formatNumber } from '../../format';

// "Run now" asks first, in the app's own dialog: how many contacts the run would change,
// and a warning when it would subscribe again people a CSV import had unsubscribed.
export function RunNowDialog({ ruleId, ruleName, onRun, onClose }: { ruleId: string; ruleName: string; onRun(): void; onClose(): void }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<DryRunReport | null>(null);
  const [error, setError] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);

  useEffect(() => {
    let live = true;
    must('rules:dryRun', { id: ruleId, limit: 1 })
      .then((r) => live && setReport(r))
      .catch((e: unknown) => live && setError(errorText(t, e)));
    return () => {
      live = false;
    };
  }, [ruleId, t]);

  const imported = report?.resubscribesImportOptOuts ?? 0;
  const canRun = !!report && report.wouldChange > 0 && (imported === 0 || acknowledged);
  return (
    <Modal title={t('runNow.title', { name: ruleName })} onClose={onClose} testId="run-now-dialog">
      <div className="stack">
        {!report && !error && <p role="status" className="muted">{t('runNow.checking')}</p>}
        {error && <p role="alert" className="error">{error}</p>}
        {report && (
          <p data-testid="run-now-count">
            {report.wouldChange > 0
              ? t('runNow.wouldChange', { count: report.wouldChange, formatted: formatNumber(report.wouldChange), candidates: formatNumber(report.candidates) })
              : t('runNow.nothing', { candidates: formatNumber(report.candidates) })}
          </p>
        )}
        {imported > 0 && (
          <>
            <p className="warn-note" role="alert" data-testid="run-now-import-warning">
              {t('runNow.importOptOuts', { count: imported, formatted: formatNumber(imported) })}
            </p>
            <label className="checkbox-label">
              <input type="checkbox" data-testid="run-now-acknowledge" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
              {t('runNow.acknowledge')}
            </label>
          </>
        )}
        <p className="muted small">{t('runNow.actor')}</p>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>{t('app.cancel')}</button>
          <button type="button" className={imported > 0 ? 'danger' : 'primary'} data-testid="run-now-confirm" disabled={!canRun} onClick={onRun}>
            {report ? t('runNow.confirm', { count: report.wouldChange, formatted: formatNumber(report.wouldChange) }) : t('automation.runNow')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
