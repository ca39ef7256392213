// The keyword rule (SPEC 2), on the normal form of keyword-normalise.ts:
//   - the compact form is exactly one word and that word is a keyword → it acts
//     ("STOP", "Stop!!!", "*STOP*", "🛑 STOP", "ST\u200bOP", "停止。");
//   - otherwise, an opt-out keyword standing as a word anywhere (in the compact or the
//     spaced form; for scripts without spaces, anywhere in the text) → reason code
//     'contains_opt_out': nothing changes and the message goes to the review queue
//     ("Please STOP", "STOP STOP", "stop!!! stop!!!", "配信停止してください");
//   - an opt-in keyword inside a sentence does nothing ("Can I start receiving messages?").
// The lookup tables are built once. Plain ASCII is matched by regular expressions on
// the message as it is (its normal form is only its upper case); anything else is
// normalised first.
import { KEYWORD_LANGUAGES, type KeywordLanguage, type KeywordTable } from './default-keywords';
import { compactForm, normaliseKeyword, spacedForm, UNSPACED_SCRIPT } from './keyword-normalise';

export type KeywordKind = 'opt_in' | 'opt_out';

export const KEYWORD_REASON_CODES = ['keyword', 'empty', 'multiple_words', 'not_a_keyword', 'contains_opt_out'] as const;
export type KeywordReasonCode = (typeof KEYWORD_REASON_CODES)[number];

export type KeywordClassification = {
  kind: KeywordKind | 'none';
  // The keyword as written in the table (e.g. "ARRÊTER"), and its language.
  keyword?: string;
  language?: KeywordLanguage;
  // For 'contains_opt_out': the opt-out keyword found inside the message.
  optOutWord?: string;
  reasonCode: KeywordReasonCode;
  reason: string;
};

export type KeywordMatcher = {
  classify: (message: string) => KeywordClassification;
};

const EMPTY: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'empty',
  reason: 'The message is empty, or only white space, punctuation, emoji or invisible characters.',
});
const MULTIPLE_WORDS: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'multiple_words',
  reason: 'The message has more than one word; an opt-in keyword only counts when sent on its own.',
});
const NOT_A_KEYWORD: KeywordClassification = Object.freeze({
  kind: 'none',
  reasonCode: 'not_a_keyword',
  reason: 'The message is not one of the opt-in or opt-out keywords.',
});

type Entry = { hit: KeywordClassification; contains: KeywordClassification };

function entryFor(kind: KeywordKind, keyword: string, language: KeywordLanguage): Entry {
  const action = kind === 'opt_in' ? 'opts in' : 'opts out';
  return {
    hit: Object.freeze({ kind, keyword, language, reasonCode: 'keyword', reason: `The message is the ${language} keyword "${keyword}", which ${action}.` }),
    contains: Object.freeze({
      kind: 'none',
      language,
      optOutWord: keyword,
      reasonCode: 'contains_opt_out',
      reason: `The message contains the opt-out keyword "${keyword}" but is not that keyword alone: nothing changes automatically and it goes to the review queue.`,
    }),
  };
}

// A table that failed validation may still reach here (old settings): opt-out entries
// go in first, so a keyword listed both ways opts out.
function buildLookup(table: KeywordTable): Map<string, Entry> {
  const lookup = new Map<string, Entry>();
  const add = (kind: KeywordKind, words: readonly string[], language: KeywordLanguage): void => {
    for (const word of words) {
      const key = normaliseKeyword(word);
      if (key.length > 0 && !key.includes(' ') && !lookup.has(key)) lookup.set(key, entryFor(kind, word.trim(), language));
    }
  };
  for (const language of KEYWORD_LANGUAGES) add('opt_out', table[language].optOut, language);
  for (const language of KEYWORD_LANGUAGES) add('opt_in', table[language].optIn, language);
  return lookup;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Patterns over printable ASCII; "not alphanumeric" is spelled as ASCII ranges so that
// any other character fails them and takes the general path.
const ASCII_NON_ALNUM = '[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]';
const NON_ASCII = /[\u0080-\uffff]/;
const ONE_RUN = new RegExp(`^${ASCII_NON_ALNUM}*([A-Za-z0-9]+)${ASCII_NON_ALNUM}*$`);
const NO_RUN = new RegExp(`^${ASCII_NON_ALNUM}*$`);
// Decoration or a control between two letters: "S.T.O.P", "don't".
const JOINED = /[A-Za-z0-9][^A-Za-z0-9\t-\r ]+[A-Za-z0-9]/;
const ASCII_DELETED = /[^A-Za-z0-9\t-\r ]+/g;
const ASCII_SPACE = /[\t-\r ]/;

export function createKeywordMatcher(table: KeywordTable): KeywordMatcher {
  const lookup = buildLookup(table);
  const optOutKeys = new Map<string, Entry>();
  let longestKey = 0;
  for (const [key, entry] of lookup) {
    longestKey = Math.max(longestKey, key.length);
    if (entry.hit.kind === 'opt_out') optOutKeys.set(key, entry);
  }
  const keys = [...optOutKeys.keys()].sort((a, b) => b.length - a.length);
  const asciiKeys = keys.filter((k) => /^[A-Z0-9]+$/.test(k));
  const unspacedKeys = keys.filter((k) => UNSPACED_SCRIPT.test(k));
  // An opt-out keyword standing as a word: between non-alphanumerics in ASCII text, between
  // spaces in a normal form, and anywhere for keywords in scripts written without spaces.
  const never = /(?!)/;
  const asciiOptOut = asciiKeys.length ? new RegExp(`(?<![A-Za-z0-9])(?:${asciiKeys.join('|')})(?![A-Za-z0-9])`, 'i') : never;
  const wordOptOut = keys.length ? new RegExp(`(?:^| )(${keys.map(escapeRegExp).join('|')})(?= |$)`) : never;
  const unspacedOptOut = unspacedKeys.length ? new RegExp(unspacedKeys.map(escapeRegExp).join('|')) : never;

  const containing = (word: string | undefined): KeywordClassification | undefined =>
    word === undefined ? undefined : optOutKeys.get(word.toUpperCase())?.contains;

  // Printable ASCII, most chat: regular expressions over the message as it is.
  const classifyAscii = (m: string): KeywordClassification => {
    const one = ONE_RUN.exec(m);
    if (one) {
      const run = one[1] ?? '';
      // With a single run of letters, everything around it is decoration or space.
      return (run.length <= longestKey ? lookup.get(run.toUpperCase())?.hit : undefined) ?? NOT_A_KEYWORD;
    }
    if (NO_RUN.test(m)) return EMPTY;
    let compact = m;
    if (JOINED.test(m)) {
      compact = m.replace(ASCII_DELETED, '').trim();
      if (!ASCII_SPACE.test(compact)) {
        const hit = compact.length <= longestKey ? lookup.get(compact.toUpperCase())?.hit : undefined;
        if (hit) return hit;
      }
    }
    const found = containing(asciiOptOut.exec(m)?.[0]) ?? (compact === m ? undefined : containing(asciiOptOut.exec(compact)?.[0]));
    if (found) return found;
    // Two or more runs with no decoration joining them are separated by white space.
    return compact === m || ASCII_SPACE.test(compact) ? MULTIPLE_WORDS : NOT_A_KEYWORD;
  };

  const classifyGeneral = (message: string): KeywordClassification => {
    const compact = compactForm(message);
    if (compact.length === 0) return EMPTY;
    const oneWord = !compact.includes(' ');
    if (oneWord) {
      const entry = lookup.get(compact);
      if (entry) return entry.hit;
    }
    const found =
      containing(wordOptOut.exec(compact)?.[1]) ??
      containing(wordOptOut.exec(spacedForm(message))?.[1]) ??
      containing(unspacedOptOut.exec(compact)?.[0]);
    if (found) return found;
    return oneWord ? NOT_A_KEYWORD : MULTIPLE_WORDS;
  };

  const classify = (message: string): KeywordClassification =>
    NON_ASCII.test(message) ? classifyGeneral(message) : classifyAscii(message);

  return { classify };
}
