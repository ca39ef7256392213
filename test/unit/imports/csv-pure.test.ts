import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, looksLikeHeader, sniffNotText } from '../../../src/shared/imports/csv-detect';
import { readLegalBasis, readStatus } from '../../../src/shared/imports/csv-values';
import { toCsv } from '../../../src/shared/imports/csv-write';
import { checkMapping, headerLayoutKey, suggestMapping } from '../../../src/shared/imports/import-mapping';

describe('spreadsheet spellings', () => {
  it.each([
    ['tak', 'subscribed'], ['YES', 'subscribed'], ['1', 'subscribed'], ['Opt-in', 'subscribed'], ['true', 'subscribed'],
    ['nie', 'unsubscribed'], ['No', 'unsubscribed'], ['0', 'unsubscribed'], ['wypisany', 'unsubscribed'], ['FALSE', 'unsubscribed'],
    ['not specified', 'not_specified'], ['nieokreślony', 'not_specified'],
  ])('status %s → %s', (cell, status) => expect(readStatus(cell)).toEqual({ kind: 'value', value: status }));

  it('an empty cell leaves the status alone; anything else unknown is reported', () => {
    expect(readStatus('  ')).toEqual({ kind: 'empty' });
    expect(readStatus('maybe')).toEqual({ kind: 'unknown', text: 'maybe' });
    expect(readStatus('???')).toEqual({ kind: 'unknown', text: '???' });
    for (const number of ['-1', '+1', '1.0', '10', '2']) expect(readStatus(number)).toEqual({ kind: 'unknown', text: number });
  });

  it.each([
    ['Zgoda', 'consent_with_notice'], ['legitimate interest – existing customer', 'legitimate_interest_client'],
    ['Umowa', 'performance_of_contract'], ['nie dotyczy', 'non_gdpr'], ['process_and_store', 'process_and_store'], ['lead', 'legitimate_interest_prospect'],
  ])('legal basis %s → %s', (cell, basis) => expect(readLegalBasis(cell)).toEqual({ kind: 'value', value: basis }));
});

describe('format detection', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('tells UTF-8 (with and without BOM) from Windows-1250', () => {
    expect(detectEncoding(bytes('\ufeffa,b'))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(bytes('Łódź,b'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(Uint8Array.from([0xa3, 0xf3, 0x64, 0x9f]))).toEqual({ encoding: 'windows-1250', bomLength: 0 });
    // A multi-byte character cut at the end of the sample is still UTF-8.
    expect(detectEncoding(bytes('abcŁ').subarray(0, 4)).encoding).toBe('utf-8');
  });
  it('picks the delimiter that splits rows consistently, and honours "sep="', () => {
    expect(detectDelimiter('a;b;c\n1;2,5;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a,b\n"x;y",2\n')).toBe(',');
    expect(detectDelimiter('sep=;\na,b;c\n')).toBe(';');
  });
  it('recognises a header row and files that are not text', () => {
    expect(looksLikeHeader(['Name', 'Phone'], ['Anna', '601 234 567'])).toBe(true);
    expect(looksLikeHeader(['Anna', '601 234 567'], ['Piotr', '602 345 678'])).toBe(false);
    expect(sniffNotText(bytes('%PDF-1.4'))).toBe('pdf');
    expect(sniffNotText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]))).toBe('spreadsheet');
    expect(sniffNotText(Uint8Array.from([0x61, 0, 0x62]))).toBe('binary');
    expect(sniffNotText(bytes('a,b\n'))).toBeNull();
  });
});

describe('mapping', () => {
  const types = [{ id: 'T1', name: 'WhatsApp marketing' }];
  it('guesses columns from English and Polish headers and remembers layouts by header names', () => {
    expect(suggestMapping(['Imię i nazwisko', 'Telefon', 'E-mail', 'Marketing', 'Podstawa prawna', 'Miasto'], types)).toEqual([
      'name', 'phone', 'email', 'status:T1', 'legalBasis:', 'property:Miasto',
    ]);
    expect(headerLayoutKey(['Name', 'Phone'], true)).toBe(headerLayoutKey([' name ', 'PHONE'], true));
    expect(headerLayoutKey(['Name', 'Phone'], true)).not.toBe(headerLayoutKey(['Phone', 'Name'], true));
  });
  it('leaves the record columns of a re-imported contacts export alone, and reads its people columns', () => {
    const header = ['name', 'whatsapp_number', 'number_valid', 'email', 'tags', 'WhatsApp marketing', 'opted_out_all_whatsapp', 'City', 'created_at', 'updated_at', 'id'];
    expect(suggestMapping(header, types)).toEqual(['name', 'phone', 'ignore', 'email', 'tags', 'status:T1', 'ignore', 'property:City', 'ignore', 'ignore', 'ignore']);
    // An "id" column of the user's own file is data: kept as a property.
    expect(suggestMapping(['name', 'phone', 'id'], types)).toEqual(['name', 'phone', 'property:id']);
  });
  it('refuses a mapping without a phone column, with a target used twice or an unknown type', () => {
    const m = (columns: string[]) => ({ columns, defaultLegalBasis: '' as const, defaultExplanation: '' });
    expect(checkMapping(m(['name', 'email']), new Set(['T1']))).toEqual(['no_phone']);
    expect(checkMapping(m(['phone', 'name', 'name']), new Set(['T1']))).toEqual(['duplicate_target']);
    expect(checkMapping(m(['phone', 'status:T9']), new Set(['T1']))).toEqual(['unknown_type']);
    expect(checkMapping(m(['phone', 'status:T1', 'legalBasis:']), new Set(['T1']))).toEqual([]);
  });
});

describe('CSV writing', () => {
  it('neutralises formula cells, quotes where needed, and writes the BOM only when asked', () => {
    const csv = toCsv(['a', 'b'], [['=SUM(A1)', 'x;y'], ['@cmd', '\tTAB'], ['-1', 'plain']], { delimiter: ';', bom: false });
    expect(csv).toBe(`a;b\r\n'=SUM(A1);"x;y"\r\n'@cmd;'\tTAB\r\n'-1;plain\r\n`);
    expect(toCsv(['a'], [], { delimiter: ',', bom: true })).toBe('\ufeffa\r\n');
  });
});
