import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactQuery } from '../../../../shared/api/contacts-channels';
import { must } from '../../api/client';
import { downloadExport } from '../download';
import { errorText } from '../errors';

// Downloads the contacts matching the current filter as CSV (Excel-friendly options).
export function ExportContactsButton({ query }: { query: ContactQuery }) {
  const { t } = useTranslation();
  const [semicolon, setSemicolon] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    try {
      setError(null);
      downloadExport(await must('exports:contacts', { query, delimiter: semicolon ? ';' : ',', bom: true }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <span className="toolbar">
      <label className="inline-check">
        <input type="checkbox" data-testid="export-semicolon" checked={semicolon} onChange={(e) => setSemicolon(e.target.checked)} />
        {t('bulk.exportSemicolon')}
      </label>
      <button data-testid="export-contacts" onClick={() => void download()}>{t('bulk.export')}</button>
      {!!error && <span role="alert" className="error">{errorText(t, error)}</span>}
    </span>
  );
}
