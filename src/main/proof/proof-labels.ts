import type { ConsentSource, ConsentStatus, LegalBasis } from '../../shared/domain';

// The words the proof PDF prints for the ledger's codes: it is read by officers, lawyers and
// the contact, not by developers. The codes stay in the JSON proof, which machines read.
export const LEGAL_BASIS_LABELS = {
  consent_with_notice: 'Consent with notice (GDPR art. 6(1)(a))',
  legitimate_interest_client: 'Legitimate interest – existing customer (art. 6(1)(f))',
  legitimate_interest_prospect: 'Legitimate interest – prospect (art. 6(1)(f))',
  legitimate_interest_other: 'Legitimate interest – other (art. 6(1)(f))',
  performance_of_contract: 'Performance of a contract (art. 6(1)(b))',
  process_and_store: 'Process and store',
  non_gdpr: 'Not applicable (outside the GDPR)',
} as const satisfies Record<LegalBasis, string>;

export const SOURCE_LABELS = {
  keyword: 'WhatsApp keyword from the contact',
  template_button: 'Template opt-out button',
  manual: 'Entered by a user',
  bulk: 'Bulk update',
  csv_import: 'CSV import',
  workflow: 'Automation rule',
  platform_preference: 'WhatsApp marketing setting',
  platform_signal: 'WhatsApp notice of a number or identity change',
  review: 'Review queue decision',
} as const satisfies Record<ConsentSource, string>;

export const STATUS_LABELS = {
  not_specified: 'Not specified',
  subscribed: 'Subscribed',
  unsubscribed: 'Unsubscribed',
} as const satisfies Record<ConsentStatus, string>;

const isKey = <T extends object>(map: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(map, key);

export const legalBasisLabel = (code: string) => (code === '' ? 'None given' : isKey(LEGAL_BASIS_LABELS, code) ? LEGAL_BASIS_LABELS[code] : code);
export const sourceLabel = (code: string) => (isKey(SOURCE_LABELS, code) ? SOURCE_LABELS[code] : code);
export const statusLabel = (code: string) => (isKey(STATUS_LABELS, code) ? STATUS_LABELS[code] : code);

// "2026-12-07T18:24:03.120Z" → "7 Dec 2026, 18:24:03 UTC": one unambiguous form on paper.
export function proofTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC' }).format(d);
  return `${date}, ${time} UTC`;
}
