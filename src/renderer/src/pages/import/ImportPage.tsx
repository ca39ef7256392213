import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/errors';
import { formatNumber } from '../../format';
import { useImport } from '../../stores/import-store';
import { hasRole, useSession } from '../../stores/session-store';
import { useTypes } from '../../stores/types-store';
import { ImportMappingStep } from './ImportMappingStep';
import { ImportReportStep } from './ImportReportStep';
import { RowsToFixButton } from './RowsToFixButton';
import { RecentImports, UndoImportButton } from './UndoImport';

export function ImportProgress({ label }: { label: string }) {
  const { t } = useTranslation();
  const { done, total } = useImport((s) => s.progress);
  return (
    <div className="stack" role="status" aria-live="polite">
      <span>{label}</span>
      <progress data-testid="import-progress" max={total || undefined} value={total ? done : undefined} aria-label={label} />
      <span className="muted">{t('import.progress', { done: formatNumber(done), total: total ? formatNumber(total) : '…' })}</span>
    </div>
  );
}

function ChooseStep() {
  const { t } = useTranslation();
  const { chooseFile, unfinished, resume, discard } = useImport();
  return (
    <div className="stack">
      <div className="card stack">
        <label>
          {t('import.chooseFile')}
          <input type="file" accept=".csv,.txt,.tsv,text/csv" data-testid="import-file" onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void chooseFile(file);
          }} />
        </label>
        <p className="muted">{t('import.chooseHint')}</p>
      </div>
      {unfinished.length > 0 && (
        <div className="card stack" data-testid="import-unfinished">
          <h2>{t('import.unfinished')}</h2>
          {unfinished.map((j) => (
            <div key={j.jobId} className="toolbar">
              <span>{j.fileName}</span>
              <span className="muted">{t('import.stoppedAt', { row: formatNumber(j.nextRow), total: formatNumber(j.totalRows) })}</span>
              <span className="spacer" />
              <button className="primary" disabled={!j.resumable} data-testid="import-resume" onClick={() => void resume(j.jobId)}>{t('import.resume')}</button>
              <button disabled={!j.resumable} onClick={() => void discard(j.jobId)}>{t('import.discard')}</button>
            </div>
          ))}
        </div>
      )}
      <RecentImports />
    </div>
  );
}

function DoneStep() {
  const { t } = useTranslation();
  const { summary, reset } = useImport();
  if (!summary) return null;
  return (
    <div className="card stack" data-testid="import-summary">
      <p className={summary.state === 'finished' ? 'ok-note' : 'warn-note'}>{t(`import.state_${summary.state}`)}</p>
      <ul>
        <li>{t('import.summaryRows', { count: summary.counts.rows, formatted: formatNumber(summary.counts.rows) })}</li>
        <li data-testid="import-summary-created">{t('import.summaryCreated', { count: summary.contactsCreated, formatted: formatNumber(summary.contactsCreated) })}</li>
        <li>{t('import.summaryUpdated', { count: summary.contactsUpdated, formatted: formatNumber(summary.contactsUpdated) })}</li>
        <li data-testid="import-summary-events">{t('import.summaryEvents', { count: summary.eventsRecorded, formatted: formatNumber(summary.eventsRecorded) })}</li>
        <li>{t('import.summaryInvalid', { count: summary.counts.invalid, formatted: formatNumber(summary.counts.invalid) })}</li>
      </ul>
      {summary.counts.invalid > 0 && <RowsToFixButton applied />}
      <div className="toolbar">
        <button className="primary" data-testid="import-again" onClick={reset}>{t('import.another')}</button>
        {summary.eventsRecorded > 0 && summary.state !== 'failed' && <UndoImportButton jobId={summary.jobId} />}
      </div>
    </div>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  if (!hasRole(user, 'admin')) return <p className="empty-state" data-testid="import-admin-only">{t('import.adminOnly')}</p>;
  return <ImportWizard />;
}

function ImportWizard() {
  const { t } = useTranslation();
  const { step, error, cancel, loadUnfinished } = useImport();
  const { status: typesStatus, load: loadTypes } = useTypes();
  useEffect(() => {
    void loadUnfinished();
  }, [loadUnfinished]);
  useEffect(() => {
    if (typesStatus === 'idle') void loadTypes();
  }, [typesStatus, loadTypes]);
  return (
    <section className="narrow import-page" aria-labelledby="import-title">
      <div className="page-header">
        <h1 id="import-title">{t('import.title')}</h1>
        <span className="muted">{t(`import.step_${step}`)}</span>
      </div>
      {!!error && <p role="alert" className="error" data-testid="import-error">{errorText(t, error)}</p>}
      {step === 'choose' && <ChooseStep />}
      {step === 'uploading' && <ImportProgress label={t('import.uploading')} />}
      {step === 'mapping' && <ImportMappingStep />}
      {step === 'checking' && <ImportProgress label={t('import.checking')} />}
      {step === 'report' && <ImportReportStep />}
      {step === 'applying' && (
        <div className="card stack">
          <ImportProgress label={t('import.applying')} />
          <div className="toolbar">
            <button className="danger" data-testid="import-cancel" onClick={() => void cancel()}>{t('app.cancel')}</button>
          </div>
        </div>
      )}
      {step === 'done' && <DoneStep />}
    </section>
  );
}
