// Checks an edited keyword table before Settings saves it. Every comparison is made
// in the matcher's normal form, so what passes here is exactly what the matcher sees.
import { z } from 'zod';
import { KEYWORD_LANGUAGES, type KeywordLanguage, type KeywordTable } from './default-keywords';
import { normaliseKeyword } from './keyword-normalise';

// Longest keyword in normal form; long enough for any real keyword, short enough
// that the matcher can reject long messages without normalising them.
export const KEYWORD_MAX_LENGTH = 32;

export const KEYWORD_LIST_NAMES = ['optIn', 'optOut'] as const;
export type KeywordListName = (typeof KEYWORD_LIST_NAMES)[number];

export const KEYWORD_ERROR_CODES = [
  'empty',
  'whitespace',
  'invisible',
  'too_long',
  'duplicate',
  'conflict',
] as const;
export type KeywordErrorCode = (typeof KEYWORD_ERROR_CODES)[number];

export type KeywordTableError = {
  language: KeywordLanguage;
  list: KeywordListName;
  index: number;
  keyword: string;
  code: KeywordErrorCode;
  message: string;
};

export type KeywordTableValidation = { ok: boolean; errors: KeywordTableError[] };

// For untrusted input (IPC, settings file): the shape only; rules come from validateKeywordTable.
// The lists are read on every inbound message: a few dozen per language is plenty.
export const MAX_KEYWORDS_PER_LIST = 100;
const keywordList = z.array(z.string().max(200)).max(MAX_KEYWORDS_PER_LIST, `At most ${MAX_KEYWORDS_PER_LIST} keywords per list`);
const keywordListsSchema = z.object({ optIn: keywordList, optOut: keywordList });
export const keywordTableSchema = z.object({
  en: keywordListsSchema,
  es: keywordListsSchema,
  fr: keywordListsSchema,
  pt: keywordListsSchema,
  de: keywordListsSchema,
  ja: keywordListsSchema,
}) satisfies z.ZodType<KeywordTable>;

const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const WHITESPACE = /\s/;

type Seen = { language: KeywordLanguage; list: KeywordListName; keyword: string };

const LIST_LABEL: Record<KeywordListName, string> = { optIn: 'opt-in', optOut: 'opt-out' };

function shapeError(keyword: string, normal: string): { code: KeywordErrorCode; message: string } | undefined {
  if (normal.length === 0) return { code: 'empty', message: 'A keyword cannot be empty.' };
  if (WHITESPACE.test(normal)) {
    return { code: 'whitespace', message: `"${keyword.trim()}" contains a space; a keyword must be a single word.` };
  }
  // The normal form drops invisible characters, so they are looked for in what was typed.
  if (INVISIBLE.test(keyword.trim())) {
    return { code: 'invisible', message: `"${keyword.trim()}" contains an invisible or control character.` };
  }
  if (normal.length > KEYWORD_MAX_LENGTH) {
    return { code: 'too_long', message: `"${keyword.trim()}" is longer than ${KEYWORD_MAX_LENGTH} characters.` };
  }
  return undefined;
}

export function validateKeywordTable(table: KeywordTable): KeywordTableValidation {
  const errors: KeywordTableError[] = [];
  const seen = new Map<string, Seen>();
  for (const language of KEYWORD_LANGUAGES) {
    for (const list of KEYWORD_LIST_NAMES) {
      table[language][list].forEach((keyword, index) => {
        const normal = normaliseKeyword(keyword);
        const at = { language, list, index, keyword };
        const shape = shapeError(keyword, normal);
        if (shape) {
          errors.push({ ...at, ...shape });
          return;
        }
        const earlier = seen.get(normal);
        if (!earlier) {
          seen.set(normal, { language, list, keyword });
          return;
        }
        if (earlier.list !== list) {
          errors.push({
            ...at,
            code: 'conflict',
            message:
              `"${keyword}" (${language} ${LIST_LABEL[list]}) is the same keyword as "${earlier.keyword}" ` +
              `(${earlier.language} ${LIST_LABEL[earlier.list]}); a keyword cannot both opt in and opt out.`,
          });
        } else if (earlier.language === language) {
          errors.push({ ...at, code: 'duplicate', message: `"${keyword}" is listed twice in ${language} ${LIST_LABEL[list]}.` });
        }
        // The same keyword with the same meaning in two languages is allowed: the first language labels it.
      });
    }
  }
  return { ok: errors.length === 0, errors };
}
