import { describe, expect, it } from 'vitest';
import { createCsvScanner, scanText } from '../../../src/shared/imports/csv-scan';
import { suggestMapping } from '../../../src/shared/imports/import-mapping';
import { compileMapping, validateRow } from '../../../src/shared/imports/row-validate';

// The tokenizer on its own: any split of the text into pieces reads the same records.
describe('csv scanner', () => {
  const text = 'a;b\r\n1;"x\r\ny"\n2;"q""q"\r3;z\r\n\n"4";"w" v\r5;end';
  const whole = scanText(text, ';', true);

  it('reads CRLF, LF and CR alike, quoted line breaks inside a cell, doubled quotes and text after a closing quote', () => {
    expect(whole).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', 'x\r\ny'] },
      { row: 3, cells: ['2', 'q"q'] },
      { row: 4, cells: ['3', 'z'] },
      { row: 5, cells: [''] },
      { row: 6, cells: ['4', 'w v'] },
      { row: 7, cells: ['5', 'end'] },
    ]);
  });

  it('gives the same records however the text is cut into pieces', () => {
    for (let size = 1; size <= 7; size++) {
      const scanner = createCsvScanner(';');
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...scanner.push(text.slice(i, i + size)));
      out.push(...scanner.end());
      expect(out).toEqual(whole);
    }
  });

  it('a CR at the end of one piece and an LF at the start of the next are one line break, also after a problem row', () => {
    const scanner = createCsvScanner(',', { recordMax: 10 });
    const out = [...scanner.push('a,b\r'), ...scanner.push('\nc,"0123456789012\r'), ...scanner.push('\nd,e\r\n'), ...scanner.end()];
    expect(out.map((r) => [r.row, r.cells[0], r.problem])).toEqual([
      [1, 'a', undefined],
      [2, 'c', 'unclosed_quote'],
      [3, 'd', undefined],
    ]);
  });

  it('drops an over-long line up to its end, however many pieces it spans', () => {
    const scanner = createCsvScanner(',', { recordMax: 8 });
    const out = [...scanner.push('a,b\nxxxxxxxxxx'), ...scanner.push('yyyyyyyyyyyy'), ...scanner.push('zz\r'), ...scanner.push('\nc,d'), ...scanner.end()];
    expect(out.map((r) => [r.row, r.cells.join(','), r.problem])).toEqual([
      [1, 'a,b', undefined],
      [2, 'xxxxxxxxxx', 'record_too_long'],
      [3, 'c,d', undefined],
    ]);
  });
});

describe('name columns', () => {
  const types = [{ id: 'T1', name: 'Marketing' }];
  it.each([
    [['Imię', 'Nazwisko', 'Telefon'], ['firstName', 'lastName', 'phone']],
    [['First name', 'Last name', 'Phone'], ['firstName', 'lastName', 'phone']],
    [['Nazwisko', 'Imię', 'Telefon'], ['lastName', 'firstName', 'phone']],
    [['Given name', 'Surname', 'Mobile'], ['firstName', 'lastName', 'phone']],
    // One half alone is the name.
    [['Imię', 'Telefon'], ['name', 'phone']],
    [['Nazwisko', 'Telefon'], ['name', 'phone']],
  ])('%j → %j', (headers, expected) => expect(suggestMapping(headers, types)).toEqual(expected));

  it('joins first name and surname, whatever their column order, and skips an empty half', () => {
    const m = compileMapping({ columns: ['lastName', 'firstName', 'phone'], defaultLegalBasis: '', defaultExplanation: '' }, ['Nazwisko', 'Imię', 'Telefon']);
    const dup = () => ({ first: new Map<string, number>(), conflicts: new Map<string, number[]>() });
    expect(validateRow(2, ['Żmuda', 'Łukasz', '601 234 567'], m, 'PL', dup()).plan?.name).toBe('Łukasz Żmuda');
    expect(validateRow(3, ['', 'Cher', '601 234 568'], m, 'PL', dup()).plan?.name).toBe('Cher');
  });
});
