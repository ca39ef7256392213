import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneCheck =
  | { valid: true; e164: string }
  | { valid: false; e164: ''; reason: 'empty' | 'unparseable' | 'invalid' };

// WhatsApp numbers are stored as E.164. A number without a leading '+' is read in the
// default country (a setting), which is how field agents and spreadsheets write them.
export function checkPhone(input: string, defaultCountry: string): PhoneCheck {
  const trimmed = input.normalize('NFKC').trim();
  if (trimmed === '') return { valid: false, e164: '', reason: 'empty' };
  const withPlus = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus, defaultCountry.toUpperCase() as CountryCode);
  if (!parsed) return { valid: false, e164: '', reason: 'unparseable' };
  if (!parsed.isValid()) return { valid: false, e164: '', reason: 'invalid' };
  return { valid: true, e164: parsed.number };
}

export function formatPhoneInternational(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}
