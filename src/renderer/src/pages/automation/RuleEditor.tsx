import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriptionType } from '../../../../shared/domain';
import { errorText } from '../../components/errors';
import { useAutomation } from '../../stores/automation-store';
import { ActionsEditor } from './ActionsEditor';
import { ConditionEditor } from './ConditionEditor';
import { DryRunPanel, RunLog } from './RuleResults';
import { RunNowDialog } from './RunNowDialog';
import { ruleSummary } from './rule-summary';
import { TriggerEditor } from './TriggerEditor';

export function RuleEditor({ types, canEdit }: { types: readonly SubscriptionType[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const { draft, dirty, dryRun, runs, edit, save, setEnabled, runDry, runNow, close } = useAutomation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [confirmingRun, setConfirmingRun] = useState(false);
  if (!draft) return null;
  const { rule } = draft;
  const disabled = !canEdit || busy;

  const act = (fn: () => Promise<unknown>, done?: (v: unknown) => string) => async () => {
    setBusy(true);
    setError('');
    setNote('');
    try {
      const v = await fn();
      if (done) setNote(done(v));
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" data-testid="rule-editor">
      <section className="card stack" aria-labelledby="rule-editor-title">
        <div className="page-header">
          <h2 id="rule-editor-title">{rule.name || t('automation.newRule')}</h2>
          {draft.id && <span className="muted">{t('automation.version', { version: draft.version })}</span>}
          {draft.id && <span className={draft.enabled ? 'ok-note' : 'muted'} data-testid="rule-state">{t(draft.enabled ? 'automation.enabled' : 'automation.disabled')}</span>}
          {dirty && <span className="warn">{t('automation.unsaved')}</span>}
          <span className="spacer" />
          <button type="button" className="link-button" onClick={close}>{t('automation.close')}</button>
        </div>
        {!canEdit && <p className="muted">{t('automation.readOnly')}</p>}
        <label>
          {t('automation.name')}
          <input data-testid="rule-name" value={rule.name} maxLength={120} disabled={disabled} onChange={(e) => edit({ ...rule, name: e.target.value })} />
        </label>
        <fieldset className="rule-section">
          <legend>{t('automation.when')}</legend>
          <TriggerEditor trigger={rule.trigger} types={types} disabled={disabled} onChange={(trigger) => edit({ ...rule, trigger })} />
        </fieldset>
        <fieldset className="rule-section">
          <legend>{t('automation.if')}</legend>
          <ConditionEditor group={rule.conditions} types={types} path="cond" disabled={disabled} onChange={(conditions) => edit({ ...rule, conditions })} />
        </fieldset>
        <fieldset className="rule-section">
          <legend>{t('automation.then')}</legend>
          <ActionsEditor actions={rule.actions} types={types} disabled={disabled} onChange={(actions) => edit({ ...rule, actions })} />
        </fieldset>
        <div className="rule-summary" aria-live="polite" data-testid="rule-summary">
          <strong>{t('automation.summaryTitle')}</strong>
          {ruleSummary(t, rule, types).map((line, i) => <p key={i}>{line}</p>)}
        </div>
        {error && <p role="alert" className="error" data-testid="rule-error">{error}</p>}
        {note && <p role="status" className="ok-note" data-testid="rule-note">{note}</p>}
        <div className="toolbar">
          {canEdit && (
            <button type="button" className="primary" data-testid="rule-save" disabled={busy || !dirty} onClick={act(save, (v) => t('automation.saved', { version: (v as { version: number }).version }))}>
              {t('automation.save')}
            </button>
          )}
          <button type="button" data-testid="rule-dry-run" disabled={busy} onClick={act(runDry)}>{t('automation.dryRun')}</button>
          {canEdit && draft.id && (
            <button type="button" data-testid="rule-toggle" disabled={busy} onClick={act(() => setEnabled(!draft.enabled))}>
              {t(draft.enabled ? 'automation.disable' : 'automation.enable')}
            </button>
          )}
          {canEdit && draft.id && (
            <button
              type="button"
              data-testid="rule-run-now"
              disabled={busy || dirty}
              onClick={() => setConfirmingRun(true)}
            >
              {t('automation.runNow')}
            </button>
          )}
        </div>
      </section>
      {confirmingRun && draft.id && (
        <RunNowDialog
          ruleId={draft.id}
          ruleName={rule.name}
          onClose={() => setConfirmingRun(false)}
          onRun={() => {
            setConfirmingRun(false);
            void act(runNow)();
          }}
        />
      )}
      {dryRun && <DryRunPanel report={dryRun} types={types} />}
      {draft.id && <RunLog runs={runs} types={types} />}
    </div>
  );
}
