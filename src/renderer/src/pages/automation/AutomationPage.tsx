import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onAppEvent } from '../../api/client';
import { formatDateTime } from '../../format';
import { useAutomation } from '../../stores/automation-store';
import { hasRole, useSession } from '../../stores/session-store';
import { useTypes } from '../../stores/types-store';
import { RuleEditor } from './RuleEditor';
import { triggerSentence } from './rule-summary';

// Automation (SPEC 7): the rule list beside the editor of the selected rule.
export function AutomationPage() {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const canEdit = hasRole(user, 'admin');
  const { rules, status, error, draft, load, open, create, loadRuns } = useAutomation();
  const { types, load: loadTypes } = useTypes();

  useEffect(() => {
    void load();
    void loadTypes();
    // A rule run finished (a trigger, or another window): refresh the list and the log.
    return onAppEvent((e) => {
      if (e.type === 'progress' && e.kind === 'rule_run' && e.state === 'finished') {
        void load();
        void loadRuns();
      }
    });
  }, [load, loadTypes, loadRuns]);

  return (
    <section aria-labelledby="automation-title" className="stack">
      <div className="page-header">
        <h1 id="automation-title">{t('automation.title')}</h1>
        <span className="spacer" />
        {canEdit && (
          <button type="button" className="primary" data-testid="rule-new" onClick={() => create(types.find((ty) => !ty.archived)?.id ?? '')}>
            {t('automation.newRule')}
          </button>
        )}
      </div>
      <p className="muted">{t('automation.intro')}</p>
      {status === 'error' && <p role="alert" className="error">{error}</p>}
      <div className="automation-columns">
        <nav aria-label={t('automation.rulesList')} className="card">
          {rules.length === 0 ? (
            <p className="muted" data-testid="rules-empty">{t('automation.empty')}</p>
          ) : (
            <ul className="rule-index">
              {rules.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    className="rule-index-item"
                    data-testid={`rule-item-${r.name}`}
                    aria-current={draft?.id === r.id ? 'true' : undefined}
                    onClick={() => void open(r.id)}
                  >
                    <strong>{r.name}</strong>
                    <small className={r.enabled ? 'ok-text' : 'muted'}>
                      {t(r.enabled ? 'automation.enabled' : 'automation.disabled')} · {t('automation.version', { version: r.version })}
                    </small>
                    <small className="muted">{triggerSentence(t, r)}</small>
                    <small className="muted">{r.lastRun ? t('automation.lastRun', { when: formatDateTime(r.lastRun.startedAt) }) : t('automation.neverRun')}</small>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div>{draft && <RuleEditor types={types} canEdit={canEdit} />}</div>
      </div>
    </section>
  );
}
