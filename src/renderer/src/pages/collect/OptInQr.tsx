import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriptionType } from '../../../../shared/domain';
import { formatPhoneInternational } from '../../../../shared/phone';
import { i18n, LANGUAGES } from '../../i18n';
import { qrFileName, unbreakable } from './click-to-chat';
import type { OptInQr } from './use-opt-in-qr';

// The pieces of a click-to-chat QR (SPEC 4) that Collect opt-in and the contact record
// both show; the state behind them comes from useOptInQr.

// Which opt-in keyword the code types, and the language of the disclosure under it.
export function OptInOptions({ state }: { state: OptInQr }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="inline-label">
        <span>{t('collect.keyword')}</span>
        <select data-testid="ctc-keyword" value={state.keyword} onChange={(e) => state.setKeyword(e.target.value)}>
          {state.choices.map((o) => (
            <option key={`${o.lang}:${o.keyword}`} value={o.keyword}>
              {o.keyword} ({t(`keywordLanguage.${o.lang}`)})
            </option>
          ))}
        </select>
      </label>
      <label className="inline-label">
        <span>{t('collect.disclosureLanguage')}</span>
        <select data-testid="ctc-disclosure-language" value={state.disclosureLang} onChange={(e) => state.setDisclosureLang(e.target.value === 'pl' ? 'pl' : 'en')}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>{l === 'en' ? 'English' : 'Polski'}</option>
          ))}
        </select>
      </label>
    </>
  );
}

// The QR image, or why there is none yet.
export function OptInQrImage({ type, state, large = false }: { type: SubscriptionType; state: OptInQr; large?: boolean }) {
  const { t } = useTranslation();
  const alt = t('collect.qrAlt', { business: type.businessName });
  return (
    <>
      {state.qr ? (
        large ? (
          <img src={state.qr.png} alt={alt} data-testid="ctc-qr-large" />
        ) : (
          <img src={state.qr.png} alt={alt} data-testid="ctc-qr" width={220} height={220} />
        )
      ) : (
        !state.qrError && <p role="status">{t('app.loading')}</p>
      )}
      {state.qrError && <p role="alert" className="error">{state.qrError}</p>}
    </>
  );
}

// The disclosure naming the business, in the chosen language.
export function OptInDisclosure({ state, large = false }: { state: OptInQr; large?: boolean }) {
  return (
    <p className={large ? 'disclosure large' : 'disclosure'} data-testid={large ? 'ctc-disclosure-large' : 'ctc-disclosure'} lang={state.disclosureLang}>
      {state.disclosure}
    </p>
  );
}

// Where the contact's message goes: the business and its number, so nobody wonders
// which WhatsApp account the code opens. Shown to the contact, so in the disclosure's language.
export function OptInDestination({ type, state }: { type: SubscriptionType; state: OptInQr }) {
  const number = unbreakable(formatPhoneInternational(type.businessNumber));
  return (
    <p className="muted ctc-destination" data-testid="ctc-destination" lang={state.disclosureLang}>
      {i18n.getFixedT(state.disclosureLang)('collect.sendsTo', { business: type.businessName, number })}
    </p>
  );
}

// The link, to read out or paste somewhere.
export function OptInLinkField({ state }: { state: OptInQr }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('collect.link')}
      <input readOnly value={state.link} data-testid="ctc-link" onFocus={(e) => e.target.select()} />
    </label>
  );
}

// Copy the link and save the code; `children` go between (e.g. "Show full screen").
export function OptInActions({ type, state, children }: { type: SubscriptionType; state: OptInQr; children?: ReactNode }) {
  const { t } = useTranslation();
  const [copiedLink, setCopiedLink] = useState('');
  const { qr, link, keyword } = state;
  return (
    <div className="toolbar">
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(link).then(() => setCopiedLink(link), () => setCopiedLink(''));
        }}
        data-testid="ctc-copy"
      >
        {t('collect.copy')}
      </button>
      {children}
      {qr && (
        <>
          <a className="button-link" href={qr.png} download={qrFileName(type.businessName, keyword, 'png')} data-testid="ctc-save-png">
            {t('collect.savePng')}
          </a>
          <a className="button-link" href={qr.svg} download={qrFileName(type.businessName, keyword, 'svg')} data-testid="ctc-save-svg">
            {t('collect.saveSvg')}
          </a>
        </>
      )}
      {copiedLink !== '' && copiedLink === link && <span role="status" className="ok-note">{t('collect.copied')}</span>}
    </div>
  );
}
