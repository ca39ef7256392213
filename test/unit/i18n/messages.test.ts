import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { pl } from '../../../src/renderer/src/i18n/pl';
import { ERROR_CODES } from '../../../src/shared/api/result';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const keysOf = (m: Record<string, Record<string, string>>) =>
  Object.entries(m).flatMap(([section, entries]) => Object.keys(entries).map((k) => `${section}.${k.replace(PLURAL, '')}`));

describe('translations', () => {
  it('Polish has every English key and no extra ones (plural forms aside)', () => {
    expect([...new Set(keysOf(pl))].sort()).toEqual([...new Set(keysOf(en))].sort());
  });
  it('no string is empty', () => {
    for (const m of [en, pl]) for (const section of Object.values(m)) for (const v of Object.values(section)) expect(v.trim()).not.toBe('');
  });
  it('every API error code has a sentence in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(en.errors).toHaveProperty(code);
      expect(pl.errors).toHaveProperty(code);
    }
  });
  it('Polish plurals cover one, few and many', () => {
    for (const [section, entries] of Object.entries(pl)) {
      for (const key of Object.keys(entries).filter((k) => k.endsWith('_one'))) {
        const base = key.replace(/_one$/, '');
        expect(entries, `${section}.${base}`).toHaveProperty(`${base}_few`);
        expect(entries, `${section}.${base}`).toHaveProperty(`${base}_many`);
      }
    }
  });
});
