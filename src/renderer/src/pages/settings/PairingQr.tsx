import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PAIRING_QR_OPTIONS } from './pairing-qr-options';

// The pairing code as a QR code, drawn here (no network; a data: image, which the CSP allows),
// so an administrator can read it with a phone's camera instead of copying it by eye. It holds
// exactly the code the admin types, nothing else.

export function PairingQr({ code }: { code: string }) {
  const { t } = useTranslation();
  const [png, setPng] = useState('');
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setPng('');
    setFailed(false);
    QRCode.toDataURL(code, PAIRING_QR_OPTIONS).then(
      (url) => live && setPng(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [code]);
  if (failed) return <p role="alert" className="error">{t('devices.pairingQrFailed')}</p>;
  if (!png) return null;
  return (
    <figure className="pairing-qr" data-testid="pairing-qr-figure">
      <img src={png} width={160} height={160} alt={t('devices.pairingQrAlt', { code })} data-testid="pairing-qr" />
      <figcaption className="muted">{t('devices.pairingQrHint')}</figcaption>
    </figure>
  );
}
