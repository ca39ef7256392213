// One normal form for keywords and inbound messages, so matching ignores case,
// Unicode form (NFC/NFD), compatibility forms (full-width letters, ideographic
// space) and accents.
//
// Accent decision: accents are IGNORED, so "ARRETER" matches "ARRÊTER". Phone
// keyboards often lack accents, and missing an opt-out is the costly mistake. The
// table validator compares keywords in this same form, so two keywords that differ
// only by accents can never point in opposite directions.
//
// Only Latin/Greek/Cyrillic combining diacritics (U+0300–U+036F) are removed: kana
// voicing marks (U+3099/U+309A) change the word in Japanese and must stay.

const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

// Callers that already trimmed and know the text is non-ASCII skip straight here.
export function normaliseNonAscii(text: string): string {
  return text
    .normalize('NFKD')
    .toUpperCase()
    .replace(COMBINING_DIACRITICS, '')
    .normalize('NFC')
    .trim();
}

export function normaliseKeyword(text: string): string {
  const trimmed = text.trim();
  // ASCII is already in every normal form, so only the case needs folding.
  if (isAscii(trimmed)) return trimmed.toUpperCase();
  return normaliseNonAscii(trimmed);
}
