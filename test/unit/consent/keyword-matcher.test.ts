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

describe('keyword matcher: decoration never hides a keyword', () => {
  it.each([
    'STOP.', 'STOP!', 'Stop!!!', '!STOP', '"STOP"', '“STOP”', '«STOP»', "'stop'", '(STOP)', 'STOP?', 'STOP,', '.STOP', '...STOP...',
    '*STOP*', '_STOP_', '~STOP~', '```STOP```', '*_~STOP~_*', 'STOP 🛑', '🛑 STOP', 'STOP🛑', '🛑STOP🛑', 'STOP ✋🏽', '✋🏿STOP',
    'S\u200bTOP', 'ST\u200dOP', 'STOP\u200d', '\u2060STOP', '\u200eSTOP\u200f', '\u202aSTOP\u202c', '\u2066STOP\u2069', '\u2067STOP\u2069',
    '\u061cSTOP', 'STOP\ufe0f', 'S\u00adTOP', '\ufeffSTOP', 'S.T.O.P', 'S-T-O-P', 'ＳＴＯＰ！', '𝐒𝐓𝐎𝐏', 'STOP\u0007',
    'S\u0336T\u0336O\u0336P\u0336', '\u3164STOP', '#STOP', '@STOP', 'STOP™', '\u2800STOP',
  ])('%j opts out', (message) => {
    const result = matcher.classify(message);
    expect(result).toMatchObject({ kind: 'opt_out', keyword: 'STOP', reasonCode: 'keyword' });
  });

  it.each([
    ['¡ALTO!', 'ALTO'], ['ARRÊTER !', 'ARRÊTER'], ['arre\u0302ter...', 'ARRÊTER'], ['停止。', '停止'], ['「停止」', '停止'], ['PARAR!', 'PARAR'],
    ['¿PARAR?', 'PARAR'], ['Beenden!', 'BEENDEN'], ['*unsubscribe*', 'UNSUBSCRIBE'], ['QUIT 👋', 'QUIT'], ['end.', 'END'], ['停\u200b止', '停止'],
  ])('%j opts out as %s', (message, keyword) => {
    expect(matcher.classify(message)).toMatchObject({ kind: 'opt_out', keyword });
  });

  it.each(['START!', '*start*', '🙂 Start 🙂', 'S\u200bTART', '開始！'])('%j opts in', (message) => {
    expect(matcher.classify(message).kind).toBe('opt_in');
  });
});

describe('keyword matcher: an opt-out keyword inside other words is for review', () => {
  it.each([
    'STOP STOP', 'STOP\nSTOP', 'stop!!! stop!!!', 'Please STOP', 'STOP please', 'Stop all messages', 'STOP.STOP', 'stop now',
    '停止\u3000停止', '配信停止してください', 'STOPして', 'please unsubscribe', 'ALTO por favor', 'je veux ARRÊTER', 'bitte beenden',
    'STOP START', 'START STOP', 'S.T.O.P please', 'stop '.repeat(2048), '🛑 stop it 🛑', 'Ｓｔｏｐ　ｐｌｅａｓｅ',
  ])('%j', (message) => {
    const result = matcher.classify(message);
    expect(result.kind).toBe('none');
    expect(result.reasonCode).toBe('contains_opt_out');
    expect(result.optOutWord).toBeTruthy();
    expect(result.keyword).toBeUndefined();
  });
});

describe('keyword matcher: near misses', () => {
  it.each([
    ['a question containing an opt-in keyword', 'Can I start receiving messages?', 'multiple_words'],
    ['opt-in keyword repeated', 'START START', 'multiple_words'],
    ['empty', '', 'empty'],
    ['white space only', ' \t\n\u3000\u00a0 ', 'empty'],
    ['emoji only', '🛑', 'empty'],
    ['invisible only', '\u200b\u200d\u2060', 'empty'],
    ['punctuation only', '...!!!', 'empty'],
    ['10 kB single word', 'S'.repeat(10_240), 'not_a_keyword'],
    ['prefix of a keyword', 'STO', 'not_a_keyword'],
    ['keyword inside a word', 'STOPPED', 'not_a_keyword'],
    ['keyword inside a word, decorated', '*STOPPED*', 'not_a_keyword'],
    ['other word', 'STOPP', 'not_a_keyword'],
    ['half of a Japanese keyword', '停', 'not_a_keyword'],
    ['Japanese opt-in in a sentence', '開始してください', 'not_a_keyword'],
    ['ordinary chat', 'Hi, when will my order arrive?', 'multiple_words'],
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

describe('keyword matcher: the ASCII fast path agrees with the general path', () => {
  // A zero-width space is deleted by the normal form but sends the message down the general path.
  const samples = [
    'STOP', ' stop ', 'Stop!!!', 'S.T.O.P', "don't", 'e.g. stop', 'STOP.STOP', 'hello world', 'a-b-c', '---', '', 'START',
    'Please, STOP', 'stopped', 'x STOP x', 'STOP\tSTOP', 'end', '#end#', 'un-subscribe', 'UN SUBSCRIBE', 'q.u.i.t now', '(cancel)',
  ];
  it.each(samples)('%j', (message) => {
    const fast = matcher.classify(message);
    const general = matcher.classify(`${message}\u200b`);
    expect(general.kind).toBe(fast.kind);
    expect(general.reasonCode).toBe(fast.reasonCode);
    expect(general.keyword).toBe(fast.keyword);
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
