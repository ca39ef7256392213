import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxStatus } from '../../../../shared/api/relay-channels';
import { call } from '../../api/client';
import { formatDateTime, formatNumber } from '../../format';

// The relay is read in the background by main; the panel asks now and then while it is shown.
const REFRESH_MS = 3000;

export function RelayStatusPanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<InboxStatus | null>(null);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      const r = await call('relay:status', {});
      if (alive && r.ok) setStatus(r.value);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <section className="card stack" aria-labelledby="relay-status-title" data-testid="relay-status" data-state={status?.state ?? 'loading'}>
      <h2 id="relay-status-title">{t('messages.relayTitle')}</h2>
      <p className="muted">{t('messages.relayIntro')}</p>
      {status && (
        <dl className="facts">
          <dt>{t('messages.stateLabel')}</dt>
          <dd data-testid="relay-state">{t(`messages.state_${status.state}`)}</dd>
          <dt>{t('messages.lastDelivery')}</dt>
          <dd data-testid="relay-last-delivery">{status.lastDeliveryAt ? formatDateTime(status.lastDeliveryAt) : t('messages.noDeliveryYet')}</dd>
          <dt>{t('messages.backlog')}</dt>
          <dd data-testid="relay-backlog">{status.backlog > 0 ? t('messages.backlogCount', { count: status.backlog }) : t('messages.backlogNone')}</dd>
          <dt>{t('messages.processed')}</dt>
          <dd data-testid="relay-processed">{formatNumber(status.processed)}</dd>
          {status.rejected > 0 && (
            <dd className="warn-note wide" data-testid="relay-rejected">{t('messages.rejected', { count: status.rejected })}</dd>
          )}
          {status.lastCheckAt && (
            <dd className="muted wide">{t('messages.lastCheck', { time: formatDateTime(status.lastCheckAt) })}</dd>
          )}
        </dl>
      )}
      {status?.problem && (
        <p role="alert" className="error" data-testid="relay-problem">
          {t(`messages.problem_${status.problem.kind}`, { database: status.inboxDatabase })}
        </p>
      )}
    </section>
  );
}
