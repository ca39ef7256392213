import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeywordTable } from '../../../../shared/consent/default-keywords';
import { KEYWORD_LANGUAGES } from '../../../../shared/consent/default-keywords';
import type { SubscriptionType } from '../../../../shared/domain';
import { formatPhoneInternational } from '../../../../shared/phone';
import { Modal } from '../../components/Modal';
import { i18n, LANGUAGES, type Language } from '../../i18n';
import { clickToChatLink, qrFileName } from './click-to-chat';

type Qr = { png: string; svg: string };

// Click-to-chat link and QR code for a marketing number (SPEC 4): the contact scans it,
// WhatsApp opens with the opt-in keyword typed, and their own message subscribes them.
export function ClickToChat({ types, keywords }: { types: SubscriptionType[]; keywords: KeywordTable | null }) {
  const { t } = useTranslation();
  const marketing = types.filter((ty) => ty.purpose === 'marketing' && !ty.archived);
  const [typeId, setTypeId] = useState('');
  const [keyword, setKeyword] = useState('START');
  const [disclosureLang, setDisclosureLang] = useState<Language>(i18n.language === 'pl' ? 'pl' : 'en');
  const [qr, setQr] = useState<Qr | null>(null);
  const [qrError, setQrError] = useState('');
  const [fullScreen, setFullScreen] = useState(false);
  const [copied, setCopied] = useState(false);

  const type = marketing.find((ty) => ty.id === typeId) ?? marketing[0];
  const optIns = useMemo(
    () => (keywords ? KEYWORD_LANGUAGES.flatMap((lang) => keywords[lang].optIn.map((k) => ({ k, lang }))) : [{ k: 'START', lang: 'en' as const }]),
    [keywords],
  );
  const chosen = optIns.some((o) => o.k === keyword) ? keyword : (optIns[0]?.k ?? 'START');
  const link = type ? clickToChatLink(type.businessNumber, chosen) : '';
  const optOut = keywords?.en.optOut[0] ?? 'STOP';
  const disclosure = type
    ? i18n.getFixedT(disclosureLang)('collect.disclosure', { keyword: chosen, business: type.businessName, stop: optOut })
    : '';

  useEffect(() => {
    if (!link) return;
    let live = true;
    Promise.all([QRCode.toDataURL(link, { margin: 2, width: 512, errorCorrectionLevel: 'M' }), QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })])
      .then(([png, svg]) => {
        if (!live) return;
        setQr({ png, svg: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
        setQrError('');
      })
      .catch((e: unknown) => live && setQrError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [link]);

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
        <label className="inline-label">
          <span>{t('collect.keyword')}</span>
          <select data-testid="ctc-keyword" value={chosen} onChange={(e) => setKeyword(e.target.value)}>
            {optIns.map((o) => (
              <option key={`${o.lang}:${o.k}`} value={o.k}>
                {o.k} ({t(`keywordLanguage.${o.lang}`)})
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          <span>{t('collect.disclosureLanguage')}</span>
          <select data-testid="ctc-disclosure-language" value={disclosureLang} onChange={(e) => setDisclosureLang(e.target.value === 'pl' ? 'pl' : 'en')}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>{l === 'en' ? 'English' : 'Polski'}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="ctc-body">
        <div className="qr-box">
          {qr ? <img src={qr.png} alt={t('collect.qrAlt', { business: type.businessName })} data-testid="ctc-qr" width={220} height={220} /> : <p role="status">{t('app.loading')}</p>}
          {qrError && <p role="alert" className="error">{qrError}</p>}
        </div>
        <div className="stack">
          <label>
            {t('collect.link')}
            <input readOnly value={link} data-testid="ctc-link" onFocus={(e) => e.target.select()} />
          </label>
          <p className="disclosure" data-testid="ctc-disclosure" lang={disclosureLang}>{disclosure}</p>
          <div className="toolbar">
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false));
              }}
              data-testid="ctc-copy"
            >
              {t('collect.copy')}
            </button>
            <button type="button" className="primary" data-testid="ctc-fullscreen" disabled={!qr} onClick={() => setFullScreen(true)}>
              {t('collect.showFullScreen')}
            </button>
            {qr && (
              <>
                <a className="button-link" href={qr.png} download={qrFileName(type.businessName, chosen, 'png')} data-testid="ctc-save-png">
                  {t('collect.savePng')}
                </a>
                <a className="button-link" href={qr.svg} download={qrFileName(type.businessName, chosen, 'svg')} data-testid="ctc-save-svg">
                  {t('collect.saveSvg')}
                </a>
              </>
            )}
            {copied && <span role="status" className="ok-note">{t('collect.copied')}</span>}
          </div>
        </div>
      </div>
      {fullScreen && qr && (
        <Modal title={type.businessName} onClose={() => setFullScreen(false)} testId="ctc-fullscreen-dialog" wide>
          <div className="qr-full">
            <img src={qr.png} alt={t('collect.qrAlt', { business: type.businessName })} data-testid="ctc-qr-large" />
            <p className="disclosure large" lang={disclosureLang}>{disclosure}</p>
            <p className="muted">{formatPhoneInternational(type.businessNumber)}</p>
          </div>
        </Modal>
      )}
    </div>
  );
}
