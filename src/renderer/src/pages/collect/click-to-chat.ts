import type { KeywordLanguage, KeywordTable } from '../../../../shared/consent/default-keywords';
import { KEYWORD_LANGUAGES } from '../../../../shared/consent/default-keywords';
import type { ConsentStatus, SubscriptionType } from '../../../../shared/domain';

// The WhatsApp click-to-chat link for a business number with a prefilled opt-in keyword
// (SPEC 4): https://wa.me/<digits>?text=<keyword>. wa.me wants the number as digits only.
export function clickToChatLink(businessNumber: string, keyword: string): string {
  const digits = businessNumber.replace(/\D/g, '');
  return `https://wa.me/${digits}?text=${encodeURIComponent(keyword)}`;
}

// A file name that is safe on every desktop OS.
export function qrFileName(businessName: string, keyword: string, extension: 'png' | 'svg'): string {
  const slug = `${businessName}-${keyword}`.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  return `whatsapp-opt-in-${slug || 'qr'}.${extension}`;
}

// A phone number shown in a sentence never wraps mid-number.
export function unbreakable(text: string): string {
  return text.replace(/ /g, '\u00a0');
}

export type OptInChoice = { keyword: string; lang: KeywordLanguage };

// Every opt-in keyword the matcher accepts, in table order; until the table has loaded
// (or when it cannot be), START still works: it is in every default table.
export function optInChoices(keywords: KeywordTable | null): OptInChoice[] {
  const choices = keywords ? KEYWORD_LANGUAGES.flatMap((lang) => keywords[lang].optIn.map((keyword) => ({ keyword, lang }))) : [];
  return choices.length > 0 ? choices : [{ keyword: 'START', lang: 'en' }];
}

// The wanted keyword if it is still on offer (an admin may have removed it), else the first.
export function chooseOptIn(choices: OptInChoice[], wanted: string): OptInChoice {
  return choices.find((c) => c.keyword === wanted) ?? choices[0] ?? { keyword: 'START', lang: 'en' };
}

// The opt-out keyword the disclosure names: one in the same language as the opt-in
// keyword, so a contact who wrote EMPEZAR is told ALTO; English STOP otherwise.
export function optOutFor(keywords: KeywordTable | null, lang: KeywordLanguage): string {
  return keywords?.[lang].optOut[0] ?? keywords?.en.optOut[0] ?? 'STOP';
}

// The contact record offers the opt-in QR where the contact's own message would change
// something: a live marketing type with a number, which they are not subscribed to.
export function offersOptInQr(type: SubscriptionType, status: ConsentStatus): boolean {
  return type.purpose === 'marketing' && !type.archived && type.businessNumber.replace(/\D/g, '') !== '' && status !== 'subscribed';
}
