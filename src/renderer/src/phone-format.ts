import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

// The contacts table only formats numbers main has already checked (E.164). The "min"
// metadata formats them the same as shared/phone's "max" (which adds the validation
// patterns), at half the size in the window's first chunk.
export function formatPhoneInternational(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}
