// Exactly-one-keyword rule (SPEC 2): after trimming white space the whole message must
// be one keyword. The lookup table is built once; classify() allocates nothing beyond
// the normalised string, and plain ASCII input skips Unicode normalisation entirely.
import { KEYWORD_LANGUAGES, type KeywordLanguage, type KeywordTable } from './default-keywords';
import { isAscii, normaliseKeyword, normaliseNonAscii } from './keyword-normalise';
import { KEYWORD_MAX_LENGTH } from './keyword-table-validate';

export type KeywordKind = 'opt_in' | 'opt_out';

export const KEYWORD_REASON_CODES = ['keyword', 'empty', 'too_long', 'multiple_words', 'not_a_keyword'] as const;
export type KeywordReasonCode = (typeof KEYWORD_REASON_CODES)[number];

export type KeywordClassification = {
  kind: KeywordKind | 'none';
  // The keyword as written in the table (e.g. "ARRÊTER"), and its language.
  keyword?: string;
  language?: KeywordLanguage;
  reasonCode: KeywordReasonCode;
  reason: string;
};

export type KeywordMatcherOptions = {
  // Accept "STOP." or "STOP!!" too. Off by default: SPEC 2 asks for the keyword alone.
  lenientPunctuation?: boolean;
};

export type KeywordMatcher = {
  classify: (message: string) => KeywordClassification;
};

const EMPTY: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'empty',
  reason: 'The message is empty or only white space.',
});
const TOO_LONG: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'too_long',
  reason: 'The message is too long to be a keyword.',
});
const MULTIPLE_WORDS: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'multiple_words',
  reason: 'The message has more than one word; a keyword only counts when sent on its own.',
});
const NOT_A_KEYWORD: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'not_a_keyword',
  reason: 'The message is not one of the opt-in or opt-out keywords.',
});

// Generous bound on raw length for a keyword of KEYWORD_MAX_LENGTH in normal form:
// decomposed accents and stray marks may take several code units per letter.
const RAW_LENGTH_LIMIT = KEYWORD_MAX_LENGTH * 4;
// Trailing punctuation lenient mode may strip from an ASCII message.
const LENIENT_SLACK = 16;
const WHITESPACE = /\s/;
const TRAILING_PUNCTUATION = /[\s.!。]+$/u;

function hitFor(kind: KeywordKind, keyword: string, language: KeywordLanguage): KeywordClassification {
  const action = kind === 'opt_in' ? 'opts in' : 'opts out';
  return Object.freeze({
    kind,
    keyword,
    language,
    reasonCode: 'keyword',
    reason: `The message is the ${language} keyword "${keyword}", which ${action}.`,
  });
}

// A table that failed validation may still reach here (old settings): opt-out entries
// go in first, so a keyword listed both ways opts out.
function buildLookup(table: KeywordTable): Map<string, KeywordClassification> {
  const lookup = new Map<string, KeywordClassification>();
  const add = (kind: KeywordKind, words: readonly string[], language: KeywordLanguage): void => {
    for (const word of words) {
      const key = normaliseKeyword(word);
      if (key.length > 0 && !lookup.has(key)) lookup.set(key, hitFor(kind, word.trim(), language));
    }
  };
  for (const language of KEYWORD_LANGUAGES) add('opt_out', table[language].optOut, language);
  for (const language of KEYWORD_LANGUAGES) add('opt_in', table[language].optIn, language);
  return lookup;
}

export function createKeywordMatcher(table: KeywordTable, options: KeywordMatcherOptions = {}): KeywordMatcher {
  const lookup = buildLookup(table);
  const lenient = options.lenientPunctuation === true;
  // ASCII keeps its length when upper-cased, so an ASCII message longer than every
  // key cannot match: most chat is rejected here without copying the string.
  let longestKey = 0;
  for (const key of lookup.keys()) longestKey = Math.max(longestKey, key.length);
  const asciiLimit = longestKey + (lenient ? LENIENT_SLACK : 0);

  const classify = (message: string): KeywordClassification => {
    const trimmed = message.trim();
    if (trimmed.length === 0) return EMPTY;
    if (trimmed.length > RAW_LENGTH_LIMIT) return TOO_LONG;
    let key: string;
    if (isAscii(trimmed)) {
      if (trimmed.length > asciiLimit) return WHITESPACE.test(trimmed) ? MULTIPLE_WORDS : NOT_A_KEYWORD;
      key = trimmed.toUpperCase();
    } else key = normaliseNonAscii(trimmed);
    if (lenient) key = key.replace(TRAILING_PUNCTUATION, '');
    const hit = lookup.get(key);
    if (hit) return hit;
    if (key.length === 0) return EMPTY;
    return WHITESPACE.test(key) ? MULTIPLE_WORDS : NOT_A_KEYWORD;
  };

  return { classify };
}
