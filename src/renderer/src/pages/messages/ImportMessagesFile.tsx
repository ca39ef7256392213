import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IngestReport } from '../../../../shared/api/messages-channels';
import { call } from '../../api/client';
import { formatNumber } from '../../format';
import { hasRole, useSession } from '../../stores/session-store';

// Main refuses larger files too (messages:ingestFile); saying so here spares reading them.
const MAX_FILE_BYTES = 20_000_000;

// For organisations without a relay: a file of webhook payloads (exported or saved by hand)
// goes through the same ingestion as live deliveries.
export function ImportMessagesFile() {
  const { t } = useTranslation();
  const mayImport = hasRole(useSession((s) => s.user), 'admin', 'field_agent');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<{ fileName: string; report: IngestReport } | null>(null);

  const importFile = async (file: File) => {
    setError('');
    setResult(null);
    if (file.size > MAX_FILE_BYTES) {
      setError(t('messages.fileTooLarge'));
      return;
    }
    setBusy(true);
    try {
      const r = await call('messages:ingestFile', { fileName: file.name, content: await file.text() });
      if (r.ok) setResult({ fileName: file.name, report: r.value });
      else setError(r.error.message);
    } finally {
      setBusy(false);
    }
  };

  const counts = result ? Object.entries(result.report.counts).filter(([, n]) => n > 0) : [];
  return (
    <section className="card stack" aria-labelledby="messages-import-title" data-testid="messages-import" aria-busy={busy}>
      <h2 id="messages-import-title">{t('messages.importTitle')}</h2>
      <p className="muted">{t('messages.importIntro')}</p>
      {!mayImport && <p className="warn-note">{t('messages.importRoles')}</p>}
      <label>
        {t('messages.chooseFile')}
        <input
          type="file"
          accept=".json,.jsonl,.ndjson,.csv,.txt,application/json,text/csv"
          data-testid="messages-file"
          disabled={!mayImport || busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
      </label>
      {busy && <p role="status" className="muted">{t('messages.importing')}</p>}
      {error && <p role="alert" className="error" data-testid="messages-error">{error}</p>}
      {result && (
        <div className="stack" data-testid="messages-result">
          <p role="status" className="ok-note">
            {t('messages.imported', { file: result.fileName, count: result.report.items.length })}
          </p>
          {counts.length > 0 && (
            <ul data-testid="messages-counts">
              {counts.map(([outcome, n]) => (
                <li key={outcome} data-outcome={outcome}>
                  {t(`messages.outcome_${outcome}`)}: {formatNumber(n)}
                </li>
              ))}
            </ul>
          )}
          {result.report.errors.length > 0 && (
            <div className="warn-note" data-testid="messages-item-errors">
              <p>{t('messages.itemErrors', { count: result.report.errors.length })}</p>
              <ul>
                {result.report.errors.slice(0, 20).map((e) => (
                  <li key={`${e.path}:${e.message}`}>
                    <code>{e.path || '—'}</code> {e.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
