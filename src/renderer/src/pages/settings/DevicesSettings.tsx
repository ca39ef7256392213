import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceView, ThisDeviceStatus } from '../../../../shared/api/device-channels';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';
import { formatDateTime } from '../../format';
import { PairingQr } from './PairingQr';

// Settings → Devices: this device's enrolment and pairing code for everyone; the list for
// officers and admins; approve-by-code and revoke for admins (main checks the roles).
export function DevicesSettings({ isAdmin, canList }: { isAdmin: boolean; canList: boolean }) {
  const { t } = useTranslation();
  const [mine, setMine] = useState<ThisDeviceStatus | null>(null);
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      setMine(await must('devices:status', {}));
      if (canList) setDevices(await must('devices:list', {}));
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [canList, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (work: () => Promise<string>) => {
    setError('');
    setNotice('');
    try {
      setNotice(await work());
      await load();
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const approve = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const device = await must('devices:approve', { code });
      setCode('');
      return t('devices.approved', { name: device.name || device.deviceId });
    });
  };
  const revoke = (d: DeviceView) => {
    if (!window.confirm(t('devices.revokeConfirm', { name: d.name || d.deviceId }))) return;
    void act(async () => {
      const device = await must('devices:revoke', { deviceId: d.deviceId });
      return t('devices.revoked', { name: device.name || device.deviceId });
    });
  };

  return (
    <div className="stack" data-testid="devices-settings">
      <p className="muted">{t('devices.intro')}</p>
      {mine && (
        <section className="card stack" aria-labelledby="this-device-title" data-testid="this-device">
          <h2 id="this-device-title">{t('devices.thisDevice')}</h2>
          <p>
            <strong data-testid="this-device-status" data-status={mine.status}>{t(`devices.status_${mine.status}`)}</strong>
            {mine.root && <span className="badge"> {t('devices.rootBadge')}</span>} · <code>{mine.deviceId}</code>
          </p>
          <p>
            {t('devices.pairingCode')}: <code className="pairing-code" data-testid="pairing-code">{mine.pairingCode}</code>
          </p>
          <PairingQr code={mine.pairingCode} />
          {!mine.root && <p className="muted">{t('devices.pairingHint')}</p>}
          {mine.rootFingerprint ? (
            <p data-testid="root-fingerprint">
              {t('devices.rootOf', { code: mine.rootFingerprint })} <span className="muted">{t('devices.rootCompare')}</span>
            </p>
          ) : (
            <p className="warn-note">{t('devices.noRoot')}</p>
          )}
          <p className={mine.protection === 'os' ? 'muted' : 'warn-note'} data-testid="key-protection">
            {t(`devices.protection_${mine.protection}`)}
          </p>
          {isAdmin && !mine.rootDeviceId && (
            <div>
              <button type="button" data-testid="devices-become-root" onClick={() => void act(async () => {
                  await must('devices:becomeRoot', {});
                  return '';
                })}>
                {t('devices.becomeRoot')}
              </button>
            </div>
          )}
        </section>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="ok-note">{notice}</p>}
      {isAdmin ? (
        <form className="card stack narrow-form" onSubmit={approve} data-testid="devices-approve-form">
          <h2>{t('devices.approveTitle')}</h2>
          <label>
            {t('devices.approveCode')}
            <input data-testid="devices-approve-code" value={code} onChange={(e) => setCode(e.target.value)} required maxLength={40} autoComplete="off" />
          </label>
          <div>
            <button type="submit" className="primary" data-testid="devices-approve">{t('devices.approve')}</button>
          </div>
        </form>
      ) : (
        <p className="muted">{t('devices.adminOnly')}</p>
      )}
      {canList && (
        <section className="card stack" aria-labelledby="devices-list-title">
          <h2 id="devices-list-title">{t('devices.listTitle')}</h2>
          <table data-testid="devices-list">
            <thead>
              <tr>
                <th scope="col">{t('devices.colDevice')}</th>
                <th scope="col">{t('devices.colCode')}</th>
                <th scope="col">{t('devices.colStatus')}</th>
                <th scope="col">{t('devices.colEnrolled')}</th>
                {isAdmin && <th scope="col"><span className="visually-hidden">{t('devices.revoke')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.deviceId} data-testid="devices-row" data-device={d.deviceId} data-status={d.status}>
                  <td>
                    {d.name || d.deviceId}
                    {d.thisDevice && <span className="muted"> ({t('devices.thisDevice')})</span>}
                    {d.root && <span className="badge"> {t('devices.rootBadge')}</span>}
                  </td>
                  <td><code>{d.fingerprint}</code></td>
                  <td>{d.status === 'revoked' ? t('devices.revokedBy', { at: formatDateTime(d.revokedAt), name: d.revokedByName }) : t(`devices.status_${d.status}`)}</td>
                  <td>{t('devices.enrolledBy', { at: formatDateTime(d.enrolledAt), name: d.enrolledByName })}</td>
                  {isAdmin && (
                    <td>
                      {!d.root && d.status !== 'revoked' && (
                        <button type="button" data-testid="devices-revoke" onClick={() => revoke(d)} aria-label={`${t('devices.revoke')} ${d.name || d.deviceId}`}>
                          {t('devices.revoke')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
