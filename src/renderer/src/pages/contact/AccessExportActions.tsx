import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { must } from '../../api/client';
import { downloadExport } from '../../components/download';
import { errorText } from '../../components/errors';

// "Everything we hold about this person" (GDPR Art. 15) from the contact page: the JSON file,
// or a readable PDF in the window's language. Compliance officers and admins only (main
// enforces it too).
export function AccessExportActions({ contactId }: { contactId: string }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<'' | 'json' | 'pdf'>('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const run = async (kind: 'json' | 'pdf') => {
    setBusy(kind);
    setError('');
    setDone('');
    try {
      const file =
        kind === 'json'
          ? await must('lifecycle:accessExport', { contactId })
          : await must('lifecycle:accessExportPdf', { contactId, language: i18n.language === 'pl' ? 'pl' : 'en' });
      downloadExport(file);
      setDone(t('lifecycle.accessDone', { file: file.fileName }));
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy('');
    }
  };
  return (
    <div className="card stack" data-testid="access-export">
      <h2>{t('lifecycle.accessTitle')}</h2>
      <p className="muted small">{t('lifecycle.accessIntro')}</p>
      <div className="toolbar">
        <button type="button" data-testid="access-export-json" disabled={busy !== ''} onClick={() => void run('json')}>
          {t('lifecycle.accessJson')}
        </button>
        <button type="button" data-testid="access-export-pdf" disabled={busy !== ''} onClick={() => void run('pdf')}>
          {t('lifecycle.accessPdf')}
        </button>
      </div>
      {busy && <p role="status" className="muted">{t('app.loading')}</p>}
      {done && <p role="status" className="ok-note" data-testid="access-export-done">{done}</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
