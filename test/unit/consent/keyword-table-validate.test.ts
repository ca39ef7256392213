import { describe, expect, it } from 'vitest';
import { defaultKeywordTable } from '../../../src/shared/consent/default-keywords';
import { KEYWORD_MAX_LENGTH, keywordTableSchema, validateKeywordTable } from '../../../src/shared/consent/keyword-table-validate';

describe('validateKeywordTable', () => {
  it('accepts the defaults', () => {
    expect(validateKeywordTable(defaultKeywordTable())).toEqual({ ok: true, errors: [] });
  });

  it.each([
    ['empty', (t = defaultKeywordTable()) => (t.en.optIn.push('  '), t), 'empty'],
    ['internal space', (t = defaultKeywordTable()) => (t.en.optOut.push('STOP NOW'), t), 'whitespace'],
    ['internal ideographic space', (t = defaultKeywordTable()) => (t.ja.optOut.push('停止\u3000今'), t), 'whitespace'],
    ['zero-width character', (t = defaultKeywordTable()) => (t.en.optOut.push('ST\u200bOP2'), t), 'invisible'],
    ['too long', (t = defaultKeywordTable()) => (t.en.optOut.push('X'.repeat(KEYWORD_MAX_LENGTH + 1)), t), 'too_long'],
    ['duplicate in one list', (t = defaultKeywordTable()) => (t.en.optOut.push('stop'), t), 'duplicate'],
    ['in both lists, same language', (t = defaultKeywordTable()) => (t.en.optIn.push('Stop'), t), 'conflict'],
    ['in both lists across languages', (t = defaultKeywordTable()) => (t.de.optIn.push('ＳＴＯＰ'), t), 'conflict'],
    ['conflict only after accent folding', (t = defaultKeywordTable()) => (t.en.optIn.push('arreter'), t), 'conflict'],
  ] as const)('%s', (_label, build, code) => {
    const result = validateKeywordTable(build());
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.code).toBe(code);
    expect(result.errors[0]?.message.length).toBeGreaterThan(10);
  });

  it('names both sides of a conflict', () => {
    const table = defaultKeywordTable();
    table.es.optIn.push('stop');
    const [error] = validateKeywordTable(table).errors;
    expect(error).toMatchObject({ language: 'es', list: 'optIn', index: 1, keyword: 'stop', code: 'conflict' });
    expect(error?.message).toContain('"STOP" (en opt-out)');
  });

  it('allows the same keyword with the same meaning in two languages', () => {
    const table = defaultKeywordTable();
    table.es.optOut.push('STOP');
    expect(validateKeywordTable(table).ok).toBe(true);
  });

  it('checks shape of untrusted input', () => {
    expect(keywordTableSchema.safeParse(defaultKeywordTable()).success).toBe(true);
    expect(keywordTableSchema.safeParse({ en: { optIn: [1], optOut: [] } }).success).toBe(false);
  });
});
