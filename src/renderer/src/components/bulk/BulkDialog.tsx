import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALL_WHATSAPP_TARGET, BULK_SKIP_REASONS } from '../../../../shared/api/bulk-channels';
import { CONSENT_STATUSES, LEGAL_BASES, type ConsentStatus, type LegalBasis } from '../../../../shared/domain';
import { formatNumber } from '../../format';
import { useBulk } from '../../stores/bulk-store';
import { useTypes } from '../../stores/types-store';
import { errorText } from '../errors';
import { Modal } from '../Modal';
import { useBulkLabels } from './bulk-labels';

// The bulk change dialog: its title and selection are those it was opened with (kept in
// the store), and its result and undo stay until the user closes it.
export function BulkDialog({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const bulk = useBulk();
  const types = useTypes((s) => s.types);
  const labels = useBulkLabels();
  const [target, setTarget] = useState('');
  const [status, setStatus] = useState<ConsentStatus>('subscribed');
  const [legalBasis, setLegalBasis] = useState<LegalBasis | ''>('');
  const [explanation, setExplanation] = useState('');
  const chosenTarget = target || types[0]?.id || ALL_WHATSAPP_TARGET;
  const statuses: readonly ConsentStatus[] = chosenTarget === ALL_WHATSAPP_TARGET ? ['unsubscribed', 'not_specified'] : CONSENT_STATUSES;
  const chosenStatus = statuses.includes(status) ? status : (statuses[0] ?? 'unsubscribed');
  const n = (c: number) => ({ count: c, formatted: formatNumber(c) });
  const close = () => {
    if (bulk.phase === 'done' || bulk.phase === 'undone') onDone();
    bulk.closeDialog();
  };
  const selection = bulk.selection;
  const request = bulk.request;
  return (
    <Modal title={t('bulk.title', n(bulk.count))} onClose={close} testId="bulk-dialog" wide>
      <div className="stack">
        {(bulk.phase === 'idle' || bulk.phase === 'previewing') && selection && (
          <>
            <label>
              {t('bulk.target')}
              <select data-testid="bulk-target" value={chosenTarget} onChange={(e) => setTarget(e.target.value)}>
                {types.map((type) => <option key={type.id} value={type.id}>{type.name}</option>)}
                <option value={ALL_WHATSAPP_TARGET}>{t('status.opted_out_all')}</option>
              </select>
            </label>
            <label>
              {t('bulk.newStatus')}
              <select data-testid="bulk-status" value={chosenStatus} onChange={(e) => setStatus(e.target.value as ConsentStatus)}>
                {statuses.map((s) => <option key={s} value={s}>{labels.status(chosenTarget, s)}</option>)}
              </select>
            </label>
            {chosenStatus === 'subscribed' && (
              <label>
                {t('consent.legalBasis')}
                <select data-testid="bulk-legal-basis" value={legalBasis} onChange={(e) => setLegalBasis(e.target.value as LegalBasis | '')}>
                  <option value="">{t('consent.chooseLegalBasis')}</option>
                  {LEGAL_BASES.map((b) => <option key={b} value={b}>{t(`legalBasis.${b}`)}</option>)}
                </select>
              </label>
            )}
            <label>
              {t('consent.explanation')}
              <textarea data-testid="bulk-explanation" value={explanation} onChange={(e) => setExplanation(e.target.value)} />
            </label>
            <div className="toolbar">
              <button className="primary" data-testid="bulk-preview" disabled={bulk.phase === 'previewing'} onClick={() =>
                void bulk.runPreview({ target: chosenTarget, status: chosenStatus, selection, legalBasis: chosenStatus === 'subscribed' ? legalBasis : '', explanation })}>
                {t('bulk.preview')}
              </button>
            </div>
          </>
        )}
        {bulk.preview && request && bulk.phase !== 'idle' && bulk.phase !== 'previewing' && (
          <div className="stack" data-testid="bulk-preview-result">
            <p data-testid="bulk-restate">{labels.restate(request.target, request.status, request.legalBasis)}</p>
            {(bulk.phase === 'preview' || bulk.phase === 'applying') && <p className="ok-note" data-testid="bulk-change-count">{t('bulk.willChange', n(bulk.preview.change))}</p>}
            <ul>
              {BULK_SKIP_REASONS.filter((r) => bulk.preview?.skipped[r]).map((r) => (
                <li key={r} data-testid={`bulk-skipped-${r}`}>{t(`bulk.skip_${r}`, n(bulk.preview?.skipped[r] ?? 0))}</li>
              ))}
            </ul>
            {bulk.preview.skippedContacts.some((c) => c.reason === 'own_opt_out' || c.reason === 'invalid_number') && (
              <p className="muted" data-testid="bulk-skipped-list">
                {bulk.preview.skippedContacts.filter((c) => c.reason !== 'unchanged').map((c) => `${c.name} (${t(`bulk.reason_${c.reason}`)})`).join(', ')}
              </p>
            )}
          </div>
        )}
        {bulk.phase === 'preview' && (
          <div className="toolbar">
            <button onClick={bulk.back}>{t('app.back')}</button>
            <button className="primary" data-testid="bulk-apply" disabled={bulk.preview?.change === 0} onClick={() => void bulk.apply()}>{t('bulk.apply', n(bulk.preview?.change ?? 0))}</button>
          </div>
        )}
        {bulk.phase === 'applying' && (
          <div className="stack" role="status">
            <progress data-testid="bulk-progress" max={bulk.progress.total || undefined} value={bulk.progress.done} aria-label={t('bulk.applying')} />
            <button className="danger" data-testid="bulk-cancel" onClick={() => void bulk.cancel()}>{t('app.cancel')}</button>
          </div>
        )}
        {(bulk.phase === 'done' || bulk.phase === 'undoing') && bulk.result && (
          <div className="stack">
            <p className={bulk.result.state === 'finished' ? 'ok-note' : 'warn-note'} data-testid="bulk-result">{t(`bulk.result_${bulk.result.state}`, n(bulk.result.changed))}</p>
            <div className="toolbar">
              <button data-testid="bulk-undo" disabled={bulk.phase === 'undoing' || bulk.result.changed === 0} onClick={() => void bulk.undoLast()}>{t('bulk.undo')}</button>
              <button className="primary" onClick={close}>{t('app.close')}</button>
            </div>
          </div>
        )}
        {bulk.phase === 'undone' && bulk.undo && (
          <div className="stack">
            <p className="ok-note" data-testid="bulk-undo-result">{t('bulk.undone', { restored: formatNumber(bulk.undo.restored), skipped: formatNumber(bulk.undo.skipped) })}</p>
            <button className="primary" onClick={close}>{t('app.close')}</button>
          </div>
        )}
        {!!bulk.error && <p role="alert" className="error" data-testid="bulk-error">{errorText(t, bulk.error)}</p>}
      </div>
    </Modal>
  );
}
