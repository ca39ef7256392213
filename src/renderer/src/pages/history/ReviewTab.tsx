import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REVIEW_RESOLVERS, type ReviewDecision, type ReviewItemView } from '../../../../shared/api/review-channels';
import { errorText } from '../../components/errors';
import { formatDateTime } from '../../format';
import { useReview } from '../../stores/review-store';
import { useRoute } from '../../stores/route-store';
import { hasRole, useSession } from '../../stores/session-store';
import { reviewSummary } from './review-summary';

function ReviewItem({ item, canResolve }: { item: ReviewItemView; canResolve: boolean }) {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const resolve = useReview((s) => s.resolve);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (decision: ReviewDecision) => {
    setBusy(true);
    setError('');
    try {
      await resolve(item.id, decision, reason);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  const messageText = typeof item.evidence.messageText === 'string' ? item.evidence.messageText : '';
  const reasonId = `reason-${item.id}`;
  return (
    <li className="card review-item" data-testid="review-item" data-state={item.state}>
      <div className="page-header">
        <strong>{t(`historyReviewKinds.${item.kind}`, { defaultValue: item.kind })}</strong>
        <a href={`#/contacts/${encodeURIComponent(item.contactId)}`} onClick={(e) => { e.preventDefault(); go({ page: 'contact', id: item.contactId }); }}>
          {item.contactName || item.contactId}
        </a>
        <span className="muted">{item.typeName} · {formatDateTime(item.createdAt)}</span>
      </div>
      <p data-testid="review-summary">{reviewSummary(t, item)}</p>
      {messageText && <blockquote data-testid="review-message">{messageText}</blockquote>}
      {item.events.length > 0 && (
        <ul className="review-events">
          {item.events.map((e) => (
            <li key={e.id}>
              {formatDateTime(e.occurredAt)} · {t(`historyStatuses.${e.status}`)} · {t(`historySources.${e.source}`, { defaultValue: e.source })} · {e.actor.name}
              {e.explanation ? ` — ${e.explanation}` : ''}
            </li>
          ))}
        </ul>
      )}
      {item.state === 'open' && canResolve && (
        <div className="stack">
          <label htmlFor={reasonId}>{t('history.reviewReason')}</label>
          <textarea id={reasonId} data-testid="review-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="toolbar">
            {item.kind === 'stop_request' && (
              <button className="danger" data-testid="review-confirm-stop" disabled={busy} onClick={() => void decide('confirm_stop')}>{t('history.reviewConfirmStop')}</button>
            )}
            {item.kind === 'concurrent_change' && (
              <button className="primary" data-testid="review-keep-opt-out" disabled={busy} onClick={() => void decide('keep_opt_out')}>{t('history.reviewKeepOptOut')}</button>
            )}
            <button data-testid="review-dismiss" disabled={busy} onClick={() => void decide('dismiss')}>{t('history.reviewDismiss')}</button>
          </div>
        </div>
      )}
      {item.state === 'resolved' && item.resolutionDetail && (
        <p className="ok-note" data-testid="review-resolution">
          {t(`historyDecisions.${item.resolutionDetail.decision}`)} · {formatDateTime(item.resolvedAt)}
          {item.resolutionDetail.reason ? ` — ${item.resolutionDetail.reason}` : ''}
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </li>
  );
}

export function ReviewTab() {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const { query, items, status, error, setQuery, refresh } = useReview();
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const canResolve = hasRole(user, ...REVIEW_RESOLVERS);
  return (
    <div className="stack">
      <div className="toolbar">
        <label className="filter">
          {t('history.reviewState')}
          <select data-testid="review-state" value={query.state} onChange={(e) => setQuery({ state: e.target.value as typeof query.state })}>
            <option value="open">{t('history.reviewOpen')}</option>
            <option value="resolved">{t('history.reviewResolved')}</option>
            <option value="all">{t('history.any')}</option>
          </select>
        </label>
        {!canResolve && <span className="muted">{t('history.reviewReadOnly')}</span>}
      </div>
      {status === 'error' && <p role="alert" className="error">{error}</p>}
      {status === 'ready' && items.length === 0 && <p className="empty-state" data-testid="review-empty">{t('history.reviewEmpty')}</p>}
      <ul className="review-list">
        {items.map((item) => (
          <ReviewItem key={item.id} item={item} canResolve={canResolve} />
        ))}
      </ul>
    </div>
  );
}
