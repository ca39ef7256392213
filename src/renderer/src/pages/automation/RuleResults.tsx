import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DryRunReport, PlannedChangeView, RuleRun } from '../../../../shared/api/automation-channels';
import type { FactShown } from '../../../../shared/automation/rule-evaluator';
import type { SubscriptionType } from '../../../../shared/domain';
import { formatDateTime, formatNumber } from '../../format';
import { fieldLabel, typeLabel } from './rule-summary';

// The dry run (what would change now, and why) and the run log (what did change).

const changeText = (t: TFunction, c: PlannedChangeView, types: readonly SubscriptionType[]) =>
  c.kind === 'tag'
    ? t('automationSummary.addTag', { tag: c.tag })
    : `${typeLabel(t, types, c.typeId)}: ${t(`historyStatuses.${c.from}`)} → ${t(`historyStatuses.${c.to}`)}`;

const factText = (t: TFunction, f: FactShown, types: readonly SubscriptionType[]) => {
  if (f.target === 'phone_valid') return `${t('automation.phoneValid')} ${t(f.value === 'true' ? 'automation.phoneValidYes' : 'automation.phoneValidNo')}`;
  if (f.target === 'status') return `${typeLabel(t, types, f.property)}: ${t(`historyStatuses.${f.value}`)}`;
  return `${fieldLabel(t, f.target, f.property)} = “${f.value}”`;
};

export function DryRunPanel({ report, types }: { report: DryRunReport; types: readonly SubscriptionType[] }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby="dry-run-title" data-testid="dry-run">
      <h2 id="dry-run-title">{t('automation.dryRunTitle')}</h2>
      <p className="muted">{t('automation.dryRunNote', { count: report.candidates, formatted: formatNumber(report.candidates) })}</p>
      <p data-testid="dry-run-counts">
        {t('automation.dryRunCounts', { matched: formatNumber(report.matched), change: formatNumber(report.wouldChange), skipped: formatNumber(report.skipped) })}
      </p>
      {report.items.length === 0 ? (
        <p className="empty-state">{t('automation.dryRunNone')}</p>
      ) : (
        <table className="plain-table">
          <thead>
            <tr><th scope="col">{t('automation.contact')}</th><th scope="col">{t('automation.change')}</th><th scope="col">{t('automation.why')}</th></tr>
          </thead>
          <tbody>
            {report.items.map((i) => (
              <tr key={i.contactId} data-testid="dry-run-item">
                <td>{i.contactName}</td>
                <td>
                  {i.changes.map((c) => changeText(t, c, types)).join('; ')}
                  {i.skips.length > 0 && <span className="warn">{i.changes.length ? '; ' : ''}{i.skips.map((s) => t(`automationSkip.${s.reason}`)).join('; ')}</span>}
                </td>
                <td className="muted">{i.facts.map((f) => factText(t, f, types)).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.truncated && <p className="muted">{t('automation.dryRunMore', { count: report.items.length, formatted: formatNumber(report.items.length) })}</p>}
    </section>
  );
}

export function RunLog({ runs, types }: { runs: RuleRun[]; types: readonly SubscriptionType[] }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby="run-log-title" data-testid="run-log">
      <h2 id="run-log-title">{t('automation.runsTitle')}</h2>
      {runs.length === 0 ? (
        <p className="muted" data-testid="run-log-empty">{t('automation.runsEmpty')}</p>
      ) : (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">{t('automation.runWhen')}</th>
              <th scope="col">{t('automation.runTrigger')}</th>
              <th scope="col">{t('automation.runMatched')}</th>
              <th scope="col">{t('automation.runChanged')}</th>
              <th scope="col">{t('automation.runSkipped')}</th>
              <th scope="col">{t('automation.runFailed')}</th>
              <th scope="col">{t('automation.runDetails')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-row">
                <td>{formatDateTime(r.startedAt)} <span className="muted">{t('automation.runVersion', { version: r.ruleVersion })}</span></td>
                <td>{t(`automationTriggers.${r.trigger}`)}{r.startedBy && <span className="muted"> · {t('automation.runBy', { name: r.startedBy })}</span>}</td>
                <td>{formatNumber(r.matched)} / {formatNumber(r.considered)}</td>
                <td data-testid="run-changed">{formatNumber(r.changed)}</td>
                <td>
                  {formatNumber(r.skipped)}
                  {Object.entries(r.skipReasons).map(([reason, n]) => <span key={reason} className="muted"> · {t(`automationSkip.${reason}`)}: {n}</span>)}
                </td>
                <td className={r.failed ? 'warn' : undefined}>{formatNumber(r.failed)}</td>
                <td>
                  {r.note === 'depth_limit' && <span className="warn">{t('automation.runDepthLimit', { depth: r.chainDepth - 1 })}</span>}
                  <ul className="run-items">
                    {r.items.slice(0, 5).map((i, n) => (
                      <li key={`${i.contactId}-${n}`}>
                        {i.contactName}: {i.outcome === 'changed' ? i.changes.map((c) => changeText(t, c, types)).join('; ') : i.outcome === 'failed' ? i.error : i.reasons.map((x) => t(`automationSkip.${x}`)).join('; ')}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
