import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryFilterInput } from '../../../../shared/api/history-channels';
import { ApiFailure, must, onAppEvent } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatNumber } from '../../format';

type Format = 'csv' | 'jsonl';
type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; fileName: string; rows: number }
  | { kind: 'cancelled' }
  | { kind: 'failed'; reason: string };

// The filtered history written to a file of any size (history:exportFile): main asks where to
// save it (a save dialog), streams it with progress events and can stop it. Every signed-in
// role may export, as the API allows; the one-file exports above stay for small selections.
export function HistoryFileExport({ filter, delimiter, total }: { filter: HistoryFilterInput; delimiter: ',' | ';'; total: number }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<Format>('csv');
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  useEffect(
    () =>
      onAppEvent((e) => {
        if (e.type !== 'progress' || e.kind !== 'export' || e.state !== 'running') return;
        setState((s) => (s.kind === 'running' ? { kind: 'running', done: e.done, total: e.total } : s));
      }),
    [],
  );

  const start = async () => {
    setState({ kind: 'running', done: 0, total });
    try {
      const file = await must('history:exportFile', { ...filter, format, delimiter });
      setState({ kind: 'done', fileName: file.fileName, rows: file.rows });
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'cancelled') setState({ kind: 'cancelled' });
      else setState({ kind: 'failed', reason: errorText(t, error) });
    }
  };

  const running = state.kind === 'running';
  return (
    <fieldset className="card stack history-file-export" data-testid="history-file-export">
      <legend>{t('historyExport.title')}</legend>
      <p className="muted">{t('historyExport.intro')}</p>
      <div className="toolbar" role="radiogroup" aria-label={t('historyExport.format')}>
        {(['csv', 'jsonl'] as const).map((f) => (
          <label key={f} className="inline-check">
            <input type="radio" name="history-file-format" value={f} data-testid={`history-file-format-${f}`} checked={format === f} disabled={running} onChange={() => setFormat(f)} />
            {t(`historyExport.${f}`)}
          </label>
        ))}
        <span className="spacer" />
        <button className="primary" data-testid="history-file-export-start" disabled={running || total === 0} onClick={() => void start()}>
          {t('historyExport.start')}
        </button>
        {running && (
          <button data-testid="history-file-export-cancel" onClick={() => void must('history:cancelExport', {})}>
            {t('historyExport.cancel')}
          </button>
        )}
      </div>
      {running && (
        <div className="stack">
          <progress max={Math.max(1, state.total)} value={state.done} aria-label={t('historyExport.title')} />
          <span role="status" className="muted" data-testid="history-file-export-progress">
            {t('historyExport.progress', { done: formatNumber(state.done), total: formatNumber(state.total) })}
          </span>
        </div>
      )}
      {state.kind === 'done' && (
        <p role="status" className="ok-note" data-testid="history-file-export-done">
          {t('historyExport.done', { count: state.rows, formatted: formatNumber(state.rows), fileName: state.fileName })}
        </p>
      )}
      {state.kind === 'cancelled' && (
        <p role="status" className="muted" data-testid="history-file-export-cancelled">
          {t('historyExport.cancelled')}
        </p>
      )}
      {state.kind === 'failed' && (
        <p role="alert" className="error" data-testid="history-file-export-failed">
          {t('historyExport.failed', { reason: state.reason })}
        </p>
      )}
    </fieldset>
  );
}
