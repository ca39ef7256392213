import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KEYWORDS,
  KEYWORD_LANGUAGES,
  defaultKeywordTable,
  type KeywordLanguage,
} from '../../../src/shared/consent/default-keywords';
import { createKeywordMatcher } from '../../../src/shared/consent/keyword-matcher';
import { normaliseKeyword } from '../../../src/shared/consent/keyword-normalise';

const matcher = createKeywordMatcher(defaultKeywordTable());

function fullWidth(text: string): string {
  return text.replace(/[\x21-\x7e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

function mixedCase(text: string): string {
  return [...text].map((ch, i) => (i % 2 === 0 ? ch.toLowerCase() : ch.toUpperCase())).join('');
}

const FORMS: ReadonlyArray<readonly [string, (k: string) => string]> = [
  ['as listed', (k) => k],
  ['lower case', (k) => k.toLowerCase()],
  ['upper case', (k) => k.toUpperCase()],
  ['mixed case', mixedCase],
  ['title case', (k) => k.charAt(0) + k.slice(1).toLowerCase()],
  ['NFD', (k) => k.normalize('NFD')],
  ['NFD lower', (k) => k.toLowerCase().normalize('NFD')],
  ['full-width', fullWidth],
  ['full-width lower', (k) => fullWidth(k.toLowerCase())],
  ['ideographic space padding', (k) => `\u3000${k}\u3000\u3000`],
  ['NBSP padding', (k) => `\u00a0${k}\u00a0`],
  ['tabs and newlines', (k) => `\t\n ${k}\r\n\t`],
  ['full-width inside ideographic space', (k) => `\u3000${fullWidth(k.toLowerCase())}\u3000`],
];

type Case = { language: KeywordLanguage; keyword: string; kind: 'opt_in' | 'opt_out' };
const CASES: Case[] = KEYWORD_LANGUAGES.flatMap((language) => [
  ...DEFAULT_KEYWORDS[language].optIn.map((keyword) => ({ language, keyword, kind: 'opt_in' as const })),
  ...DEFAULT_KEYWORDS[language].optOut.map((keyword) => ({ language, keyword, kind: 'opt_out' as const })),
]);

describe('keyword matcher: every default keyword in every form', () => {
  const rows = CASES.flatMap((c) => FORMS.map(([form, make]) => ({ ...c, form, message: make(c.keyword) })));
  it.each(rows)('$language $keyword ($form) → $kind', ({ message, kind, keyword, language }) => {
    const result = matcher.classify(message);
    expect(result.kind).toBe(kind);
    expect(result.keyword).toBe(keyword);
    expect(result.language).toBe(language);
    expect(result.reasonCode).toBe('keyword');
  });
});

describe('keyword matcher: accents', () => {
  it.each([
    ['ARRÊTER', 'opt_out'],
    ['arrêter', 'opt_out'],
    ['ARRE\u0302TER', 'opt_out'],
    ['arre\u0302ter', 'opt_out'],
    // Decision: accents are ignored, so the unaccented spelling opts out too.
    ['ARRETER', 'opt_out'],
    ['arreter', 'opt_out'],
  ] as const)('%s → %s', (message, kind) => {
    const result = matcher.classify(message);
    expect(result.kind).toBe(kind);
    expect(result.keyword).toBe('ARRÊTER');
  });
});

describe('keyword matcher: near misses', () => {
  it.each([
    ['a question containing a keyword', 'Can I start receiving messages?', 'multiple_words'],
    ['keyword repeated', 'STOP STOP', 'multiple_words'],
    ['keyword repeated across a newline', 'STOP\nSTOP', 'multiple_words'],
    ['keyword with full stop (strict)', 'STOP.', 'not_a_keyword'],
    ['keyword with exclamation (strict)', 'stop!', 'not_a_keyword'],
    ['empty', '', 'empty'],
    ['white space only', ' \t\n\u3000\u00a0 ', 'empty'],
    ['emoji', '🛑', 'not_a_keyword'],
    ['keyword with emoji', 'STOP 🛑', 'multiple_words'],
    ['keyword glued to emoji', 'STOP🛑', 'not_a_keyword'],
    ['10 kB of text', 'stop '.repeat(2048), 'too_long'],
    ['10 kB single word', 'S'.repeat(10_240), 'too_long'],
    ['zero-width joiner inside', 'ST\u200dOP', 'not_a_keyword'],
    ['zero-width joiner after', 'STOP\u200d', 'not_a_keyword'],
    ['prefix of a keyword', 'STO', 'not_a_keyword'],
    ['keyword inside a word', 'STOPPED', 'not_a_keyword'],
    ['ideographic space between keywords', '停止\u3000停止', 'multiple_words'],
    ['half of a Japanese keyword', '停', 'not_a_keyword'],
  ] as const)('%s', (_label, message, reasonCode) => {
    const result = matcher.classify(message);
    expect(result.kind).toBe('none');
    expect(result.reasonCode).toBe(reasonCode);
    expect(result.reason.length).toBeGreaterThan(10);
    expect(result.keyword).toBeUndefined();
  });

  it('"Start" opts in', () => {
    expect(matcher.classify('Start').kind).toBe('opt_in');
  });
});

describe('keyword matcher: lenient punctuation', () => {
  const lenient = createKeywordMatcher(defaultKeywordTable(), { lenientPunctuation: true });
  it.each([
    ['STOP.', 'opt_out'],
    ['stop!', 'opt_out'],
    ['Stop!!! ', 'opt_out'],
    ['停止。', 'opt_out'],
    ['ＳＴＯＰ！', 'opt_out'],
    ['start .', 'opt_in'],
  ] as const)('%s → %s', (message, kind) => {
    expect(lenient.classify(message).kind).toBe(kind);
  });
  it.each(['.STOP', 'STOP?', 'STOP,', 'STOP STOP.', '...'])('%s is still not a keyword', (message) => {
    expect(lenient.classify(message).kind).toBe('none');
  });
});

describe('keyword matcher: edited tables', () => {
  it('uses the edited keywords only', () => {
    const table = defaultKeywordTable();
    table.en.optOut.push('BASTA');
    table.en.optIn = ['YES'];
    const edited = createKeywordMatcher(table);
    expect(edited.classify('basta').kind).toBe('opt_out');
    expect(edited.classify('yes').kind).toBe('opt_in');
    expect(edited.classify('START').kind).toBe('none');
  });

  it('resolves a keyword listed both ways toward opt-out', () => {
    const table = defaultKeywordTable();
    table.de.optIn.push('stop');
    expect(createKeywordMatcher(table).classify('STOP').kind).toBe('opt_out');
  });

  it('does not share state with the shipped defaults', () => {
    const table = defaultKeywordTable();
    table.en.optOut.length = 0;
    expect(defaultKeywordTable().en.optOut).toContain('STOP');
  });
});

describe('normaliseKeyword', () => {
  it.each([
    ['ｓｔｏｐ', 'STOP'],
    ['Arre\u0302ter', 'ARRETER'],
    ['ﬁn', 'FIN'],
    ['\u3000停止\u3000', '停止'],
    // Kana voicing marks are part of the word, not accents.
    ['ガ', 'ガ'],
    ['ｶﾞ', 'ガ'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseKeyword(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const input of ['ARRÊTER', 'ｓｔｏｐ', 'ガ', 'straße', 'İstanbul']) {
      const once = normaliseKeyword(input);
      expect(normaliseKeyword(once)).toBe(once);
    }
  });
});
