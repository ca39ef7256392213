import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { useImport } from '../../stores/import-store';
import { useTypes } from '../../stores/types-store';
import { RowsToFixButton } from './RowsToFixButton';

export function ImportReportStep() {
  const { t } = useTranslation();
  const { report, confirmOwnOptOut, setConfirm, apply, backToMapping } = useImport();
  const types = useTypes((s) => s.types);
  if (!report) return null;
  const { counts } = report;
  const typeName = (id: string) => types.find((x) => x.id === id)?.name ?? id;
  const n = (count: number) => ({ count, formatted: formatNumber(count) });
  return (
    <div className="stack">
      <div className="card stack" data-testid="import-report">
        <h2>{t('import.reportTitle')}</h2>
        <ul>
          <li>{t('import.reportRows', n(counts.rows))}</li>
          <li data-testid="import-report-valid">{t('import.reportValid', n(counts.valid))}</li>
          <li data-testid="import-report-invalid" className={counts.invalid ? 'warn' : ''}>{t('import.reportInvalid', n(counts.invalid))}</li>
          <li>{t('import.reportCreate', n(counts.contacts.create))}</li>
          <li>{t('import.reportUpdate', n(counts.contacts.update))}</li>
          <li data-testid="import-report-changes">{t('import.reportChanges', n(counts.statuses.change))}</li>
          <li>{t('import.reportUnchanged', n(counts.statuses.unchanged))}</li>
          <li>{t('import.reportOwnOptOut', n(counts.statuses.own_opt_out))}</li>
          {counts.statuses.already_imported > 0 && <li data-testid="import-report-already">{t('import.reportAlreadyImported', n(counts.statuses.already_imported))}</li>}
        </ul>
      </div>
      {report.issues.length > 0 && (
        <div className="card stack">
          <h2>{t('import.issuesTitle')}</h2>
          {counts.invalid > 0 && <RowsToFixButton applied={false} />}
          <table className="data-table" data-testid="import-issues">
            <thead><tr><th>{t('import.row')}</th><th>{t('import.columnHeader')}</th><th>{t('import.problem')}</th><th>{t('import.value')}</th></tr></thead>
            <tbody>
              {report.issues.slice(0, 200).map((i, k) => (
                <tr key={k}><td>{i.row}</td><td>{i.column}</td><td>{t(`import.issue_${i.code}`)}</td><td className="muted">{i.value}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.diffs.length > 0 && (
        <div className="card stack">
          <h2>{t('import.diffTitle')}</h2>
          <table className="data-table" data-testid="import-diff">
            <thead><tr><th>{t('import.row')}</th><th>{t('contacts.name')}</th><th>{t('import.contactChange')}</th><th>{t('import.statusChange')}</th></tr></thead>
            <tbody>
              {report.diffs.slice(0, 100).map((d) => (
                <tr key={d.row}>
                  <td>{d.row}</td>
                  <td>{d.name}</td>
                  <td>{t(`import.contact_${d.contact}`)}</td>
                  <td>{d.statuses.map((s) => `${typeName(s.typeId)}: ${t(`status.${s.from}`)} → ${t(`status.${s.to}`)}${s.outcome === 'change' ? '' : ` (${t(`import.outcome_${s.outcome}`)})`}`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.needsConfirmation.length > 0 && (
        <div className="card stack warn-note" data-testid="import-needs-confirmation">
          <p>{t('import.needsConfirmation', n(report.needsConfirmation.length))}</p>
          <p>{report.needsConfirmation.slice(0, 10).map((r) => t('import.rowName', { row: r.row, name: r.name })).join(', ')}</p>
          <label className="inline-check">
            <input type="checkbox" data-testid="import-confirm-own-opt-out" checked={confirmOwnOptOut} onChange={(e) => setConfirm(e.target.checked)} />
            {t('import.confirmOwnOptOut')}
          </label>
        </div>
      )}
      <div className="toolbar">
        <button onClick={backToMapping}>{t('app.back')}</button>
        <button className="primary" data-testid="import-apply" disabled={counts.valid === 0} onClick={() => void apply()}>{t('import.apply', n(counts.valid))}</button>
      </div>
    </div>
  );
}
