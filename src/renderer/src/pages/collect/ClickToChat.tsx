import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeywordTable } from '../../../../shared/consent/default-keywords';
import type { SubscriptionType } from '../../../../shared/domain';
import { formatPhoneInternational } from '../../../../shared/phone';
import { Modal } from '../../components/Modal';
import { OptInActions, OptInDestination, OptInDisclosure, OptInLinkField, OptInOptions, OptInQrImage } from './OptInQr';
import { useOptInQr } from './use-opt-in-qr';

// Click-to-chat link and QR code for a marketing number (SPEC 4): the contact scans it,
// WhatsApp opens with the opt-in keyword typed, and their own message subscribes them.
export function ClickToChat({ types, keywords }: { types: SubscriptionType[]; keywords: KeywordTable | null }) {
  const { t } = useTranslation();
  const marketing = types.filter((ty) => ty.purpose === 'marketing' && !ty.archived);
  const [typeId, setTypeId] = useState('');
  const [fullScreen, setFullScreen] = useState(false);
  const type = marketing.find((ty) => ty.id === typeId) ?? marketing[0] ?? null;
  const state = useOptInQr(type, keywords);

  if (!type) return <p className="empty-state" data-testid="collect-no-numbers">{t('collect.noMarketingNumbers')}</p>;
  return (
    <div className="card stack" data-testid="click-to-chat">
      <h2>{t('collect.linkTitle')}</h2>
      <p className="muted">{t('collect.linkIntro')}</p>
      <div className="toolbar">
        <label className="inline-label">
          <span>{t('collect.number')}</span>
          <select data-testid="ctc-type" value={type.id} onChange={(e) => setTypeId(e.target.value)}>
            {marketing.map((ty) => (
              <option key={ty.id} value={ty.id}>
                {ty.name} · {formatPhoneInternational(ty.businessNumber)}
              </option>
            ))}
          </select>
        </label>
        <OptInOptions state={state} />
      </div>
      <div className="ctc-body">
        <div className="qr-box">
          <OptInQrImage type={type} state={state} />
        </div>
        <div className="stack">
          <OptInLinkField state={state} />
          <OptInDisclosure state={state} />
          <OptInActions type={type} state={state}>
            <button type="button" className="primary" data-testid="ctc-fullscreen" disabled={!state.qr} onClick={() => setFullScreen(true)}>
              {t('collect.showFullScreen')}
            </button>
          </OptInActions>
        </div>
      </div>
      {fullScreen && state.qr && (
        <Modal title={type.businessName} onClose={() => setFullScreen(false)} testId="ctc-fullscreen-dialog" wide>
          <div className="qr-full">
            <OptInQrImage type={type} state={state} large />
            <OptInDisclosure state={state} large />
            <OptInDestination type={type} state={state} />
          </div>
        </Modal>
      )}
    </div>
  );
}
