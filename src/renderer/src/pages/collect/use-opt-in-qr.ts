import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import type { KeywordTable } from '../../../../shared/consent/default-keywords';
import type { SubscriptionType } from '../../../../shared/domain';
import { i18n, type Language } from '../../i18n';
import { chooseOptIn, clickToChatLink, optInChoices, optOutFor, type OptInChoice } from './click-to-chat';

export type QrImages = { png: string; svg: string };

export type OptInQr = {
  choices: OptInChoice[];
  keyword: string;
  setKeyword(keyword: string): void;
  disclosureLang: Language;
  setDisclosureLang(lang: Language): void;
  link: string;
  disclosure: string;
  qr: QrImages | null;
  qrError: string;
};

// Everything a click-to-chat QR for one marketing type needs (SPEC 4): the keyword and
// disclosure language the agent picked, the wa.me link, the disclosure naming the
// business, and the QR as PNG and SVG data URLs. Shared by Collect opt-in and the
// contact record, so both show the same code and words.
export function useOptInQr(type: SubscriptionType | null, keywords: KeywordTable | null): OptInQr {
  const [wanted, setKeyword] = useState('START');
  const [disclosureLang, setDisclosureLang] = useState<Language>(i18n.language === 'pl' ? 'pl' : 'en');
  // Kept with the link it encodes, so a code for the previous keyword is never shown.
  const [made, setMade] = useState<{ link: string; images: QrImages | null; error: string }>({ link: '', images: null, error: '' });

  const choices = useMemo(() => optInChoices(keywords), [keywords]);
  const chosen = chooseOptIn(choices, wanted);
  const link = type ? clickToChatLink(type.businessNumber, chosen.keyword) : '';
  const disclosure = type
    ? i18n.getFixedT(disclosureLang)('collect.disclosure', { keyword: chosen.keyword, business: type.businessName, stop: optOutFor(keywords, chosen.lang) })
    : '';

  useEffect(() => {
    if (!link) return;
    let live = true;
    Promise.all([
      QRCode.toDataURL(link, { margin: 2, width: 512, errorCorrectionLevel: 'M' }),
      QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
    ])
      .then(([png, svg]) => {
        if (live) setMade({ link, images: { png, svg: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` }, error: '' });
      })
      .catch((e: unknown) => live && setMade({ link, images: null, error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [link]);

  const current = made.link === link ? made : null;
  return {
    choices, keyword: chosen.keyword, setKeyword, disclosureLang, setDisclosureLang, link, disclosure,
    qr: current?.images ?? null, qrError: current?.error ?? '',
  };
}
