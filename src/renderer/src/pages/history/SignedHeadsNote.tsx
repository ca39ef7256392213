import { useTranslation } from 'react-i18next';
import type { ChainHeadCheck } from '../../../../shared/api/history-channels';
import { formatDateTime, formatNumber } from '../../format';

// The signed chain heads' part of the integrity report: each chain that ends before its device's
// signed head (events missing here: not yet arrived, or withheld by the server), and any head that
// names another event than the one held.
export function SignedHeadsNote({ check }: { check: ChainHeadCheck }) {
  const { t } = useTranslation();
  return (
    <div data-testid="integrity-signed-heads">
      <details>
        <summary>{t('chainHeads.known', { n: formatNumber(check.known.length) })}</summary>
        <ul className="mono-list">
          {check.known.map((h) => (
            <li key={h.deviceId}>
              {h.deviceId} · #{h.seq} · {formatDateTime(h.at)} · <code>{h.hash}</code>
            </li>
          ))}
        </ul>
      </details>
      {(check.tails.length > 0 || check.mismatches.length > 0) && (
        <>
          <p className="error">
            <strong>{t('chainHeads.title')}</strong>
          </p>
          <ul aria-label={t('chainHeads.title')}>
            {check.tails.map((tail) => (
              <li key={tail.deviceId} data-testid="integrity-truncated-tail" className="warn-note">
                {t('chainHeads.tail', { device: tail.deviceId, held: tail.heldUpTo, head: tail.headSeq, from: tail.missingFrom, to: tail.missingTo })}{' '}
                {t(`chainHeads.state_${tail.state}`)}
                {tail.keptAside > 0 && ` ${t('chainHeads.keptAside', { n: formatNumber(tail.keptAside) })}`}
              </li>
            ))}
            {check.mismatches.map((m) => (
              <li key={`${m.deviceId}:${m.seq}`} className="error">
                {t('chainHeads.mismatch', { device: m.deviceId, seq: m.seq })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
