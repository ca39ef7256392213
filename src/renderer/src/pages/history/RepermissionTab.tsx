import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RepermissionList } from '../../../../shared/api/lifecycle-channels';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../../../../shared/consent/consent-expiry';
import { formatPhoneInternational } from '../../../../shared/phone';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatDateTime } from '../../format';
import { useRoute } from '../../stores/route-store';

// Contacts to ask for consent again (SPEC 13): expired terms first, then those ending soon.
export function RepermissionTab() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const [withinDays, setWithinDays] = useState(DEFAULT_EXPIRY_WARNING_DAYS);
  const [list, setList] = useState<RepermissionList | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 366) return;
    must('lifecycle:repermission', { withinDays })
      .then((l) => {
        if (!live) return;
        setList(l);
        setError('');
      })
      .catch((e: unknown) => live && setError(errorText(t, e)));
    return () => {
      live = false;
    };
  }, [withinDays, t]);
  return (
    <div className="card stack" data-testid="repermission">
      <h2>{t('lifecycle.repermissionTitle')}</h2>
      <p className="muted">{t('lifecycle.repermissionIntro')}</p>
      <div className="toolbar">
        <label className="inline-label">
          <span>{t('lifecycle.withinDays')}</span>
          <input
            type="number"
            min={0}
            max={366}
            data-testid="repermission-days"
            value={withinDays}
            onChange={(e) => setWithinDays(e.target.value === '' ? 0 : Math.trunc(Number(e.target.value)))}
          />
        </label>
        {list && <span className="muted" role="status" data-testid="repermission-count">{t('lifecycle.repermissionCount', { expired: list.expired, expiring: list.expiring })}</span>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {list && list.rows.length === 0 && <p className="empty-state" data-testid="repermission-empty">{t('lifecycle.repermissionEmpty')}</p>}
      {list && list.rows.length > 0 && (
        <div className="scroll-x">
          <table className="data-table" data-testid="repermission-table">
            <thead>
              <tr>
                <th scope="col">{t('lifecycle.contact')}</th>
                <th scope="col">{t('lifecycle.number')}</th>
                <th scope="col">{t('lifecycle.type')}</th>
                <th scope="col">{t('lifecycle.since')}</th>
                <th scope="col">{t('lifecycle.expires')}</th>
                <th scope="col">{t('lifecycle.state')}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={`${r.contactId}:${r.typeId}`} data-testid="repermission-row" data-expired={r.expired}>
                  <td>
                    <a href={`#/contacts/${encodeURIComponent(r.contactId)}`} onClick={(e) => { e.preventDefault(); go({ page: 'contact', id: r.contactId }); }}>
                      {r.contactName}
                    </a>
                  </td>
                  <td>{formatPhoneInternational(r.waNumber)}</td>
                  <td>{r.typeName}</td>
                  <td>{formatDateTime(r.subscribedAt)}</td>
                  <td>{formatDateTime(r.expiresAt)}</td>
                  <td>{r.expired ? <strong>{t('lifecycle.expired')}</strong> : t('lifecycle.daysLeft', { count: r.daysLeft })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
