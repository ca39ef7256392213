import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROW_ISSUES } from '../../../../shared/imports/row-issues';
import { must } from '../../api/client';
import { downloadExport } from '../../components/download';
import { errorText } from '../../components/errors';
import { useImport } from '../../stores/import-store';

// Downloads the rows the import skips (or skipped), with their problems in the user's
// language, to fix in a spreadsheet and import again. The screen lists only the first
// problems; the file has every skipped row.
export function RowsToFixButton({ applied }: { applied: boolean }) {
  const { t } = useTranslation();
  const { jobId, mapping } = useImport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const labels = Object.fromEntries(ROW_ISSUES.map((code) => [code, t(`import.issue_${code}`)]));
      // After the import, main uses the mapping it was applied with (a resumed import has none here).
      downloadExport(await must('imports:problemRows', { jobId, ...(applied ? {} : { mapping }), labels }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <p className="muted">{t('import.rowsToFixHint')}</p>
      <div className="toolbar">
        <button data-testid="import-rows-to-fix" disabled={busy} onClick={() => void download()}>{t('import.rowsToFix')}</button>
        {!!error && <span role="alert" className="error">{errorText(t, error)}</span>}
      </div>
    </div>
  );
}
