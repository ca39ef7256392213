// The keyword table shipped with the app (SPEC 2). Settings keeps an edited copy;
// "restore defaults" replaces it with a fresh clone of this one.

export const KEYWORD_LANGUAGES = ['en', 'es', 'fr', 'pt', 'de', 'ja'] as const;
export type KeywordLanguage = (typeof KEYWORD_LANGUAGES)[number];

export type KeywordLists = { optIn: string[]; optOut: string[] };
export type KeywordTable = Record<KeywordLanguage, KeywordLists>;

export const DEFAULT_KEYWORDS: Readonly<Record<KeywordLanguage, Readonly<{ optIn: readonly string[]; optOut: readonly string[] }>>> =
  Object.freeze({
    en: Object.freeze({
      optIn: Object.freeze(['START', 'SUBSCRIBE', 'UNSTOP']),
      optOut: Object.freeze(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']),
    }),
    es: Object.freeze({ optIn: Object.freeze(['EMPEZAR']), optOut: Object.freeze(['ALTO']) }),
    fr: Object.freeze({ optIn: Object.freeze(['COMMENCER']), optOut: Object.freeze(['ARRÊTER']) }),
    pt: Object.freeze({ optIn: Object.freeze(['INICIAR']), optOut: Object.freeze(['PARAR']) }),
    de: Object.freeze({ optIn: Object.freeze(['LOSLEGEN']), optOut: Object.freeze(['BEENDEN']) }),
    ja: Object.freeze({ optIn: Object.freeze(['開始']), optOut: Object.freeze(['停止']) }),
  });

// A mutable copy, so an edit in Settings can never write into the shipped defaults.
export function defaultKeywordTable(): KeywordTable {
  const table = {} as KeywordTable;
  for (const language of KEYWORD_LANGUAGES) {
    const lists = DEFAULT_KEYWORDS[language];
    table[language] = { optIn: [...lists.optIn], optOut: [...lists.optOut] };
  }
  return table;
}
