// How spreadsheet cells are read: statuses, legal bases and tags, in the spellings
// back-office staff actually type (English and Polish, with or without accents).
import { LEGAL_BASES, type ConsentStatus, type LegalBasis } from '../domain';

// Lower case, no accents, no zero-width or direction marks, words joined by '_'.
export function normaliseToken(cell: string): string {
  return cell
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

// Removes invisible characters that spreadsheets and copy-paste leave behind, and
// composes accents (NFD names from macOS become NFC).
export function cleanCell(cell: string): string {
  return cell.replace(/[\u200b-\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e]/g, '').normalize('NFC').trim();
}

// A copy of a cell's text that does not point into the parser's chunk. Cells are slices
// of a chunk of the file's text; a kept one (a contact's name, kept in the directory)
// would keep its whole chunk alive, and so, row by row, the whole file. Prepending a
// character makes V8 copy the text; the slice then points into that short copy only.
export const detach = (text: string): string => (text.length < 13 ? text : ` ${text}`.slice(1));

// The accepted spellings (en + pl); an empty cell means "leave the status as it is",
// anything else unknown is reported for its row.
const STATUS_WORDS: Record<string, ConsentStatus> = {
  subscribed: 'subscribed', subscribe: 'subscribed', yes: 'subscribed', y: 'subscribed', true: 'subscribed', '1': 'subscribed',
  opt_in: 'subscribed', opted_in: 'subscribed', optin: 'subscribed', tak: 'subscribed', t: 'subscribed',
  zapisany: 'subscribed', zapisana: 'subscribed', subskrybowany: 'subscribed', zgoda: 'subscribed',
  unsubscribed: 'unsubscribed', unsubscribe: 'unsubscribed', no: 'unsubscribed', n: 'unsubscribed', false: 'unsubscribed',
  '0': 'unsubscribed', opt_out: 'unsubscribed', opted_out: 'unsubscribed', optout: 'unsubscribed', nie: 'unsubscribed',
  wypisany: 'unsubscribed', wypisana: 'unsubscribed', brak_zgody: 'unsubscribed',
  not_specified: 'not_specified', unspecified: 'not_specified', unknown: 'not_specified', nieokreslony: 'not_specified',
  nieokreslona: 'not_specified', nie_okreslono: 'not_specified',
};

export type CellRead<T> = { kind: 'empty' } | { kind: 'value'; value: T } | { kind: 'unknown'; text: string };

export function readStatus(cell: string): CellRead<ConsentStatus> {
  // Numbers are 1 or 0 exactly: the token would drop a sign or a decimal ("-1" reading as "1").
  if (/\d/.test(cell) && !/^\s*[01]\s*$/.test(cell)) return { kind: 'unknown', text: cell.trim() };
  const token = normaliseToken(cell);
  if (!token) return cleanCell(cell) ? { kind: 'unknown', text: cell.trim() } : { kind: 'empty' };
  const value = STATUS_WORDS[token];
  return value ? { kind: 'value', value } : { kind: 'unknown', text: cell.trim() };
}

const LEGAL_BASIS_WORDS: Record<string, LegalBasis> = {
  consent: 'consent_with_notice', consent_with_notice: 'consent_with_notice', freely_given_consent: 'consent_with_notice',
  freely_given_consent_from_the_contact: 'consent_with_notice', zgoda: 'consent_with_notice', zgoda_kontaktu: 'consent_with_notice',
  legitimate_interest_existing_customer: 'legitimate_interest_client', existing_customer: 'legitimate_interest_client',
  customer: 'legitimate_interest_client', client: 'legitimate_interest_client', klient: 'legitimate_interest_client',
  legitimate_interest_prospect: 'legitimate_interest_prospect', legitimate_interest_lead: 'legitimate_interest_prospect',
  legitimate_interest_prospect_lead: 'legitimate_interest_prospect', prospect: 'legitimate_interest_prospect', lead: 'legitimate_interest_prospect',
  legitimate_interest: 'legitimate_interest_other', legitimate_interest_other: 'legitimate_interest_other',
  uzasadniony_interes: 'legitimate_interest_other', contract: 'performance_of_contract', performance_of_a_contract: 'performance_of_contract',
  umowa: 'performance_of_contract', wykonanie_umowy: 'performance_of_contract', process_and_store: 'process_and_store',
  not_applicable: 'non_gdpr', non_gdpr: 'non_gdpr', not_applicable_non_gdpr: 'non_gdpr', nie_dotyczy: 'non_gdpr',
};
for (const basis of LEGAL_BASES) LEGAL_BASIS_WORDS[basis] = basis;

export function readLegalBasis(cell: string): CellRead<LegalBasis> {
  const token = normaliseToken(cell);
  if (!token) return cleanCell(cell) ? { kind: 'unknown', text: cell.trim() } : { kind: 'empty' };
  const value = LEGAL_BASIS_WORDS[token];
  return value ? { kind: 'value', value } : { kind: 'unknown', text: cell.trim() };
}

// Tags separated by commas, semicolons or '|' (the cell delimiter already split columns).
export function readTags(cell: string): string[] {
  return [...new Set(cell.split(/[,;|]/).map((t) => cleanCell(t)).filter(Boolean).map((t) => t.slice(0, 64)))].slice(0, 50);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (text: string) => text.length <= 254 && EMAIL.test(text);
